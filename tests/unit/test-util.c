/* test-util.c — accounts shared by the unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-util.h"

SkAccount *
test_make_valid_account (const char *name)
{
  SkAccount *account = sk_account_new ();

  sk_account_set_name (account, name);
  sk_account_set_email (account, "biuro@example.com");
  sk_account_set_incoming_host (account, "imap.example.com");
  sk_account_set_username (account, "biuro@example.com");
  sk_account_set_outgoing_host (account, "smtp.example.com");

  return account;
}

SkAccount *
test_make_full_account (const char *name)
{
  SkAccount *account = sk_account_new ();
  GListStore *users = sk_account_get_users (account);
  g_autoptr(SkAccountUser) first = NULL;
  g_autoptr(SkAccountUser) second = NULL;
  g_autoptr(SkAccountUser) third = NULL;

  sk_account_set_name (account, name);
  /* Characters a key file must escape or that end a list element. */
  sk_account_set_full_name (account, "  Firma \"Łódź\"; Sp. z o.o. \\ # = [x]");
  sk_account_set_email (account, "biuro@żółw.example.pl");
  sk_account_set_sign (account, TRUE);
  sk_account_set_inactive (account, TRUE);

  first = sk_account_user_new ("ADMIN", "Anna Nowak; Kierownik", TRUE, FALSE);
  second = sk_account_user_new ("JK;2", "Jan Kowalski", FALSE, TRUE);
  third = sk_account_user_new ("ZZ", "", TRUE, FALSE);
  g_list_store_append (users, first);
  g_list_store_append (users, second);
  g_list_store_append (users, third);

  sk_account_set_account_type (account, SK_ACCOUNT_TYPE_POP3);
  sk_account_set_incoming_host (account, "pop.żółw.example.pl");
  sk_account_set_incoming_port (account, 110);
  sk_account_set_incoming_security (account, SK_SECURITY_NONE);
  sk_account_set_incoming_auth_method (account, SK_AUTH_METHOD_CRAM_MD5);
  sk_account_set_incoming_plain_confirmed (account, TRUE);
  sk_account_set_username (account, "biuro=1;x");
  sk_account_set_password (account, "incoming-secret");
  sk_account_set_leave_copy (account, FALSE);
  sk_account_set_delete_with_deleted (account, TRUE);

  sk_account_set_outgoing_host (account, "192.0.2.25");
  sk_account_set_outgoing_port (account, 2525);
  sk_account_set_outgoing_security (account, SK_SECURITY_STARTTLS);
  sk_account_set_outgoing_auth (account, FALSE);
  sk_account_set_outgoing_auth_method (account, SK_AUTH_METHOD_NTLM);
  sk_account_set_outgoing_plain_confirmed (account, TRUE);
  sk_account_set_outgoing_same_login (account, FALSE);
  sk_account_set_outgoing_username (account, "smtp-user");
  sk_account_set_outgoing_password (account, "outgoing-secret");
  sk_account_set_oauth2_provider (account, "microsoft");
  sk_account_set_timeout (account, 600);
  sk_account_set_incoming_pinned_certificate (account,
                                              "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                              "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
  sk_account_set_outgoing_pinned_certificate (account,
                                              "FF:EE:DD:CC:BB:AA:99:88:77:66:55:44:33:22:11:00:"
                                              "FF:EE:DD:CC:BB:AA:99:88:77:66:55:44:33:22:11:00");
  /* Steps 1 and 3 of the Gmail guide ticked. */
  sk_account_set_guide_steps (account, (1 << 0) | (1 << 2));
  sk_account_set_certificates (account, TEST_CERTIFICATES);
  sk_account_set_default_certificate (account, TEST_CERTIFICATES[1]);

  return account;
}

GPtrArray *
test_setting_properties (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (SK_TYPE_ACCOUNT);
  GPtrArray *settings = g_ptr_array_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (g_str_equal (pspecs[i]->name, "id") || g_str_equal (pspecs[i]->name, "users"))
        continue;

      g_ptr_array_add (settings, pspecs[i]);
    }

  /* The header lists 31 settings: a new one must be added to the tests too. */
  g_assert_cmpuint (settings->len, ==, 31);

  return settings;
}

void
test_assert_all_changed (SkAccount *account)
{
  g_autoptr(GPtrArray) settings = test_setting_properties ();

  for (guint i = 0; i < settings->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (settings, i);
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (account), pspec->name, &value);
      if (g_param_value_defaults (pspec, &value))
        g_error ("setting “%s” still holds its default", pspec->name);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sk_account_get_users (account))), >, 0);
}

char *
test_write_file (const char *basename,
                 const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), basename, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

char *
test_make_certificates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "unit", "certs.py", NULL);
  g_autofree char *folder = g_dir_make_tmp ("sk-certificates-XXXXXX", &error);
  const char *argv[] = { "/usr/bin/python3", script, folder, NULL };
  int status;

  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&folder);
}

static void
remove_file_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;
  GFile *child;

  while (children != NULL
         && g_file_enumerator_iterate (children, &info, &child, NULL, NULL)
         && info != NULL)
    remove_file_tree (child);

  g_file_delete (file, NULL, NULL);
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  remove_file_tree (file);
}

Mode
test_take_mode (int   *argc,
                char **argv)
{
  Mode mode = MODE_KEYRING;
  int j = 1;

  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal (argv[i], "--no-keyring"))
        mode = MODE_NO_KEYRING;
      else if (g_str_equal (argv[i], "--no-bus"))
        mode = MODE_NO_BUS;
      else
        argv[j++] = argv[i];
    }
  argv[j] = NULL;
  *argc = j;

  return mode;
}

gint64
test_time_scale (void)
{
  const char *scale = g_getenv ("SKRZYNKA_TEST_TIME_SCALE");
  guint64 value = 1;

  if (scale != NULL)
    g_ascii_string_to_unsigned (scale, 10, 1, 100, &value, NULL);

  return (gint64) value;
}

TestWebServer *
test_web_server_start (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "servers",
                                                   "autoconfig_server.py", NULL);
  TestWebServer *server = g_new0 (TestWebServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;

  server->folder = g_dir_make_tmp ("sk-web-XXXXXX", &error);
  g_assert_no_error (error);
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                      &error, "/usr/bin/python3", script, server->folder, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  /* "HTTPS-PORT HTTP-PORT CA-FILE"; every name, on either port, goes to
   * the server. */
  fields = g_strsplit (line, " ", 3);
  g_assert_cmpuint (g_strv_length (fields), ==, 3);
  server->connect_to[0] = g_strdup_printf (":443:127.0.0.1:%s", fields[0]);
  server->connect_to[1] = g_strdup_printf (":80:127.0.0.1:%s", fields[1]);
  server->cafile = g_strdup (fields[2]);

  return server;
}

void
test_web_server_stop (TestWebServer *server)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);

  test_remove_tree (server->folder);
  g_free (server->folder);
  g_free (server->cafile);
  g_free (server->connect_to[0]);
  g_free (server->connect_to[1]);
  g_free (server);
}
