/* test-detect.c — server detection from an address, with a resolver of our own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-detect.h"
#include "core/sk-providers.h"

#include "test-resolver.h"

/* TIME_LIMIT_MS of sk-detect.c, PROVIDERS_PATH of sk-providers.c. */
#define TIME_LIMIT_S 3.0
#define PROVIDERS_PATH "/pl/skrzynka/Skrzynka/core/providers.conf"

typedef struct
{
  gboolean      done;
  SkDetection  *detection;
  GError       *error;
} Outcome;

static void
detected (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Outcome *outcome = data;

  g_assert_null (object);
  outcome->detection = sk_detect_finish (result, &outcome->error);
  outcome->done = TRUE;
}

static void
wait_for (Outcome *outcome)
{
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs a detection to the end; the answer never comes before
 * sk_detect_async() has returned. */
static SkDetection *
detect (const char    *email,
        GCancellable  *cancellable,
        GError       **error)
{
  Outcome outcome = { 0 };

  sk_detect_async (email, cancellable, detected, &outcome);
  g_assert_false (outcome.done);
  wait_for (&outcome);

  g_assert_true ((outcome.detection == NULL) != (outcome.error == NULL));
  if (outcome.error != NULL)
    g_propagate_error (error, outcome.error);
  return outcome.detection;
}

static void
assert_guess (const SkServer *guess,
              const char     *host,
              guint           port,
              SkSecurity      security)
{
  g_assert_cmpstr (guess != NULL ? guess->host : NULL, ==, host);
  if (host != NULL)
    {
      g_assert_cmpuint (guess->port, ==, port);
      g_assert_cmpint (guess->security, ==, security);
      g_assert_null (guess->username);
    }
}

static void
assert_google (SkDetection    *detection,
               SkDetectSource  source)
{
  g_assert_nonnull (detection);
  g_assert_cmpint (detection->source, ==, source);
  g_assert_cmpstr (detection->provider, ==,
                   source == SK_DETECT_SOURCE_GMAIL ? "Gmail" : "Google Workspace");
  g_assert_true (detection->google);
  assert_guess (detection->imap, "imap.gmail.com", 993, SK_SECURITY_SSL);
  assert_guess (detection->pop3, "pop.gmail.com", 995, SK_SECURITY_SSL);
  assert_guess (detection->smtp, "smtp.gmail.com", 465, SK_SECURITY_SSL);
  g_assert_true (detection->username_is_email);
}

static void
assert_nothing (SkDetection *detection)
{
  g_assert_nonnull (detection);
  g_assert_cmpint (detection->source, ==, SK_DETECT_SOURCE_NONE);
  g_assert_null (detection->provider);
  g_assert_false (detection->google);
  g_assert_null (detection->imap);
  g_assert_null (detection->pop3);
  g_assert_null (detection->smtp);
}

static void
test_google_settings (void)
{
  g_autoptr(SkDetection) gmail = sk_detection_new_google (SK_DETECT_SOURCE_GMAIL);
  g_autoptr(SkDetection) workspace = sk_detection_new_google (SK_DETECT_SOURCE_WORKSPACE);

  /* DESIGN.md "Presets and detection". */
  assert_google (gmail, SK_DETECT_SOURCE_GMAIL);
  assert_google (workspace, SK_DETECT_SOURCE_WORKSPACE);
}

static void
test_is_gmail (void)
{
  const char *gmail[] = {
    "biuro.firmy@gmail.com",
    "biuro@googlemail.com",
    "Biuro@GMail.COM",
    " biuro@gmail.com ",
  };
  const char *other[] = {
    "biuro@gmail.com.pl",
    "biuro@mail.gmail.com",
    "biuro@notgmail.com",
    "biuro@example.com",
    "gmail.com",
    "@gmail.com",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (gmail); i++)
    if (!sk_email_is_gmail (gmail[i]))
      g_error ("“%s” should be a Gmail address", gmail[i]);

  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    if (sk_email_is_gmail (other[i]))
      g_error ("“%s” should not be a Gmail address", other[i]);

  g_assert_false (sk_email_is_gmail (NULL));
}

static void
test_gmail (Fixture       *fixture,
            gconstpointer  data)
{
  const char *addresses[] = { "biuro.firmy@gmail.com", "Biuro@GoogleMail.com", " x@gmail.com" };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SkDetection) detection = detect (addresses[i], NULL, &error);

      g_assert_no_error (error);
      assert_google (detection, SK_DETECT_SOURCE_GMAIL);
    }

  /* Known by name: no DNS at all. */
  g_assert_cmpuint (fixture->resolver->calls, ==, 0);
}

static void
test_workspace (Fixture       *fixture,
                gconstpointer  data)
{
  const struct
  {
    const char *domain;
    const char *exchanges[3];
  } cases[] = {
    { "firma.example.pl", { "aspmx.l.google.com", "alt1.aspmx.l.google.com" } },
    /* Upper case and the root dot, as DNS may give them. */
    { "biuro.example.com", { "mx.other.example.net", "ASPMX.L.GOOGLE.COM." } },
    { "stara.example.org", { "aspmx2.googlemail.com" } },
    { "nowa.example.org", { "smtp.google.com" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *email = g_strconcat ("biuro@", cases[i].domain, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SkDetection) detection = NULL;

      for (guint j = 0; cases[i].exchanges[j] != NULL; j++)
        test_resolver_add_mx (fixture->resolver, cases[i].domain, cases[i].exchanges[j]);

      detection = detect (email, NULL, &error);
      g_assert_no_error (error);
      assert_google (detection, SK_DETECT_SOURCE_WORKSPACE);
    }
}

static void
test_not_google (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDetection) detection = NULL;

  /* Names that only look like Google's, and an MX somewhere else; no SRV
   * records either: nothing to offer. */
  test_resolver_add_mx (fixture->resolver, "example.pl", "google.com.example.net");
  test_resolver_add_mx (fixture->resolver, "example.pl", "mx.notgoogle.com");
  test_resolver_add_mx (fixture->resolver, "example.pl", "mx.example.pl");

  detection = detect ("biuro@example.pl", NULL, &error);
  g_assert_no_error (error);
  assert_nothing (detection);

  /* One MX lookup and six SRV lookups, all asked. */
  g_assert_cmpuint (fixture->resolver->calls, ==, 7);
}

static void
test_srv_secure (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDetection) detection = NULL;
  TestResolver *resolver = fixture->resolver;

  test_resolver_add_mx (resolver, "example.org", "mx.example.org");
  /* The secure services win over the STARTTLS ones. */
  test_resolver_add_srv (resolver, "imap", "example.org", "plain.example.org", 143, 0, 1);
  test_resolver_add_srv (resolver, "imaps", "example.org", "backup.example.org", 993, 20, 1);
  test_resolver_add_srv (resolver, "imaps", "example.org", "IMAP.example.org.", 993, 10, 1);
  test_resolver_add_srv (resolver, "pop3s", "example.org", "pop-light.example.org", 995, 10, 1);
  test_resolver_add_srv (resolver, "pop3s", "example.org", "pop.example.org", 995, 10, 5);
  test_resolver_add_srv (resolver, "submission", "example.org", "plain.example.org", 587, 0, 1);
  test_resolver_add_srv (resolver, "submissions", "example.org", "smtp.example.org", 465, 0, 1);

  detection = detect ("Biuro@Example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (detection->source, ==, SK_DETECT_SOURCE_SRV);
  g_assert_cmpstr (detection->provider, ==, "example.org");
  g_assert_false (detection->google);
  /* The lowest priority, then the highest weight; the root dot dropped. */
  assert_guess (detection->imap, "imap.example.org", 993, SK_SECURITY_SSL);
  assert_guess (detection->pop3, "pop.example.org", 995, SK_SECURITY_SSL);
  assert_guess (detection->smtp, "smtp.example.org", 465, SK_SECURITY_SSL);
  g_assert_true (detection->username_is_email);
}

static void
test_srv_starttls (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDetection) detection = NULL;

  test_resolver_add_srv (fixture->resolver, "imap", "example.net", "mail.example.net", 143, 0, 0);
  test_resolver_add_srv (fixture->resolver, "submission", "example.net", "mail.example.net", 587, 0, 0);

  detection = detect ("biuro@example.net", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (detection->source, ==, SK_DETECT_SOURCE_SRV);
  assert_guess (detection->imap, "mail.example.net", 143, SK_SECURITY_STARTTLS);
  assert_guess (detection->pop3, NULL, 0, 0);
  assert_guess (detection->smtp, "mail.example.net", 587, SK_SECURITY_STARTTLS);
}

static void
test_srv_not_offered (Fixture       *fixture,
                      gconstpointer  data)
{
  TestResolver *resolver = fixture->resolver;

  /* RFC 6186: a target of "." says the service is not offered. */
  test_resolver_add_srv (resolver, "imaps", "example.com", ".", 0, 0, 0);
  test_resolver_add_srv (resolver, "imap", "example.com", "mail.example.com", 143, 0, 0);
  test_resolver_add_srv (resolver, "pop3s", "example.com", ".", 0, 0, 0);
  test_resolver_add_srv (resolver, "pop3", "example.com", ".", 0, 0, 0);
  test_resolver_add_srv (resolver, "submissions", "example.com", ".", 0, 0, 0);
  test_resolver_add_srv (resolver, "submission", "example.com", "mail.example.com", 587, 0, 0);

  test_resolver_add_srv (resolver, "imaps", "closed.example.com", ".", 0, 0, 0);
  test_resolver_add_srv (resolver, "submissions", "closed.example.com", ".", 0, 0, 0);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SkDetection) detection = detect ("biuro@example.com", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (detection->source, ==, SK_DETECT_SOURCE_SRV);
    assert_guess (detection->imap, "mail.example.com", 143, SK_SECURITY_STARTTLS);
    assert_guess (detection->pop3, NULL, 0, 0);
    assert_guess (detection->smtp, "mail.example.com", 587, SK_SECURITY_STARTTLS);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SkDetection) detection = detect ("biuro@closed.example.com", NULL, &error);

    g_assert_no_error (error);
    assert_nothing (detection);
  }
}

static void
test_builtin (Fixture       *fixture,
              gconstpointer  data)
{
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SkDetection) detection = detect ("biuro@Me.com", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (detection->source, ==, SK_DETECT_SOURCE_BUILTIN);
    g_assert_cmpstr (detection->provider, ==, "iCloud Mail");
    assert_guess (detection->imap, "imap.mail.me.com", 993, SK_SECURITY_SSL);
    assert_guess (detection->pop3, NULL, 0, 0);
    assert_guess (detection->smtp, "smtp.mail.me.com", 587, SK_SECURITY_STARTTLS);
    g_assert_false (detection->username_is_email);
  }

  /* From the table: no DNS. */
  g_assert_cmpuint (fixture->resolver->calls, ==, 0);
}

/* Every group of the shipped table is loaded (a bad one would be left
 * out with a warning), cites only https pages, and is what detection
 * answers for each of its domains, unless it offers only sign-in. */
static void
test_builtin_table (Fixture       *fixture,
                    gconstpointer  data)
{
  GPtrArray *providers = sk_providers_get ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) groups = NULL;

  bytes = g_resources_lookup_data (PROVIDERS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_key_file_load_from_bytes (key_file, bytes, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  groups = g_key_file_get_groups (key_file, NULL);
  g_assert_cmpuint (providers->len, ==, g_strv_length (groups));

  for (guint i = 0; i < providers->len; i++)
    {
      const SkProvider *provider = g_ptr_array_index (providers, i);
      const char * const *sources = sk_provider_get_sources (provider);
      const char * const *domains = sk_provider_get_domains (provider);

      g_assert_cmpstr (sk_provider_get_name (provider), ==, groups[i]);
      g_assert_nonnull (sources[0]);
      for (guint j = 0; sources[j] != NULL; j++)
        {
          g_autoptr(GUri) uri = g_uri_parse (sources[j], G_URI_FLAGS_NONE, NULL);

          if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
            g_error ("[%s] cites no https page: “%s”", groups[i], sources[j]);
        }

      for (guint j = 0; domains[j] != NULL; j++)
        {
          g_autofree char *email = g_strconcat ("biuro@", domains[j], NULL);
          g_autoptr(SkDetection) detection = detect (email, NULL, &error);

          g_assert_no_error (error);
          g_assert_true (sk_provider_find_for_domain (domains[j]) == provider);
          if (sk_provider_get_oauth2 (provider) != NULL)
            continue;
          if (detection->source != SK_DETECT_SOURCE_BUILTIN
              || g_strcmp0 (detection->provider, groups[i]) != 0)
            g_error ("%s is not detected as [%s]", email, groups[i]);
          g_assert_nonnull (detection->smtp);
          g_assert_true (detection->imap != NULL || detection->pop3 != NULL);
        }
    }
}

static void
test_time_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  Outcome outcome = { 0 };
  gint64 start;
  double called;
  double elapsed;

  fixture->resolver->mode = ANSWER_NEVER;

  start = g_get_monotonic_time ();
  sk_detect_async ("biuro@wolny.example.pl", NULL, detected, &outcome);
  called = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  wait_for (&outcome);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_test_message ("sk_detect_async() returned after %.3f s, the result came after %.3f s",
                  called, elapsed);
  g_assert_cmpfloat (called, <, 0.1);
  /* A resolver that never answers is "nothing found" at the time limit. */
  g_assert_no_error (outcome.error);
  assert_nothing (outcome.detection);
  g_assert_cmpfloat (elapsed, >=, TIME_LIMIT_S - 0.1);
  g_assert_cmpfloat (elapsed, <, TIME_LIMIT_S + 0.5);
  g_assert_cmpuint (fixture->resolver->calls, ==, 7);

  sk_detection_free (outcome.detection);
}

static void
test_resolver_error (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDetection) detection = NULL;

  fixture->resolver->mode = ANSWER_WITH_ERROR;

  detection = detect ("biuro@example.pl", NULL, &error);
  g_assert_no_error (error);
  assert_nothing (detection);
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  /* While the lookups wait: the answer comes at once, not at the limit. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SkDetection) detection = NULL;
    gint64 start = g_get_monotonic_time ();
    double elapsed;

    fixture->resolver->mode = ANSWER_NEVER;
    g_timeout_add (100, cancel_now, cancellable);
    detection = detect ("biuro@wolny.example.pl", cancellable, &error);
    elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (detection);
    g_assert_cmpfloat (elapsed, <, 1.0);
  }

  /* Right after the start, with answers that are ready. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Outcome outcome = { 0 };

    fixture->resolver->mode = ANSWER_FROM_TABLE;
    test_resolver_add_srv (fixture->resolver, "imaps", "example.org", "imap.example.org", 993, 0, 0);
    sk_detect_async ("biuro@example.org", cancellable, detected, &outcome);
    g_cancellable_cancel (cancellable);
    wait_for (&outcome);

    g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (outcome.detection);
    g_clear_error (&outcome.error);
  }

  /* Cancelled before it started, even for an answer known by name. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SkDetection) detection = NULL;

    g_cancellable_cancel (cancellable);
    detection = detect ("biuro@gmail.com", cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (detection);
  }
}

static void
test_bad_address (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *addresses[] = {
    "",
    "biuro",
    "biuro@",
    "@example.com",
    "biuro@example",
    "bi uro@example.com",
    "biuro@exa mple.com",
    "biuro@@example.com",
    "a@b@example.com",
    "biuro@192.168.1.1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SkDetection) detection = detect (addresses[i], NULL, &error);

      g_assert_null (detection);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        g_error ("“%s”: expected an invalid-argument error", addresses[i]);
      g_assert_cmpstr (error->message, !=, "");
    }

  g_assert_cmpuint (fixture->resolver->calls, ==, 0);
}

static SkAccount *
new_account (const char    *email,
             SkAccountType  type)
{
  SkAccount *account = sk_account_new ();

  sk_account_set_email (account, email);
  sk_account_set_account_type (account, type);
  sk_account_set_incoming_port (account, sk_standard_port (type, FALSE, SK_SECURITY_SSL));

  return account;
}

static void
test_apply_imap (void)
{
  g_autoptr(SkDetection) gmail = sk_detection_new_google (SK_DETECT_SOURCE_GMAIL);
  g_autoptr(SkAccount) account = new_account ("biuro@gmail.com", SK_ACCOUNT_TYPE_IMAP);
  g_autofree char *said = NULL;
  g_autofree char *again = NULL;

  said = sk_detection_apply (gmail, account);
  g_assert_cmpstr (said, ==,
                   "Filled in: incoming server imap.gmail.com (port 993, SSL/TLS), "
                   "outgoing server smtp.gmail.com (port 465, SSL/TLS), "
                   "user name biuro@gmail.com.");
  g_assert_cmpstr (sk_account_get_incoming_host (account), ==, "imap.gmail.com");
  g_assert_cmpuint (sk_account_get_incoming_port (account), ==, 993);
  g_assert_cmpint (sk_account_get_incoming_security (account), ==, SK_SECURITY_SSL);
  g_assert_cmpstr (sk_account_get_outgoing_host (account), ==, "smtp.gmail.com");
  g_assert_cmpuint (sk_account_get_outgoing_port (account), ==, 465);
  g_assert_cmpint (sk_account_get_outgoing_security (account), ==, SK_SECURITY_SSL);
  g_assert_true (sk_account_get_outgoing_auth (account));
  g_assert_cmpstr (sk_account_get_username (account), ==, "biuro@gmail.com");

  /* Everything is already so: nothing to say. */
  again = sk_detection_apply (gmail, account);
  g_assert_null (again);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_apply_pop3 (void)
{
  g_autoptr(SkDetection) gmail = sk_detection_new_google (SK_DETECT_SOURCE_WORKSPACE);
  g_autoptr(SkAccount) account = new_account ("biuro@firma.pl", SK_ACCOUNT_TYPE_POP3);
  g_autofree char *said = NULL;

  /* What the person had: a wrong SMTP port, no SMTP login. */
  sk_account_set_outgoing_host (account, "smtp.gmail.com");
  sk_account_set_outgoing_port (account, 25);
  sk_account_set_outgoing_auth (account, FALSE);
  sk_account_set_username (account, "biuro");

  said = sk_detection_apply (gmail, account);
  g_assert_cmpstr (said, ==,
                   "Filled in: incoming server pop.gmail.com (port 995, SSL/TLS), "
                   "outgoing server smtp.gmail.com (port 465, SSL/TLS), "
                   "sign-in for the outgoing server, user name biuro@firma.pl.");
  g_assert_cmpint (sk_account_get_account_type (account), ==, SK_ACCOUNT_TYPE_POP3);
  g_assert_cmpstr (sk_account_get_incoming_host (account), ==, "pop.gmail.com");
  g_assert_cmpuint (sk_account_get_incoming_port (account), ==, 995);
  g_assert_cmpuint (sk_account_get_outgoing_port (account), ==, 465);
  g_assert_true (sk_account_get_outgoing_auth (account));
  g_assert_cmpstr (sk_account_get_username (account), ==, "biuro@firma.pl");

  g_assert_finalize_object (g_steal_pointer (&account));
}

static SkDetection *
imap_only_detection (void)
{
  SkDetection *detection = g_new0 (SkDetection, 1);

  detection->source = SK_DETECT_SOURCE_SRV;
  detection->provider = g_strdup ("example.com");
  detection->imap = sk_server_new (SK_PROTOCOL_IMAP);
  g_free (detection->imap->host);
  detection->imap->host = g_strdup ("mail.example.com");
  detection->imap->port = 143;
  detection->imap->security = SK_SECURITY_STARTTLS;
  detection->smtp = sk_server_new (SK_PROTOCOL_SMTP);
  g_free (detection->smtp->host);
  detection->smtp->host = g_strdup ("mail.example.com");
  detection->smtp->port = 587;
  detection->smtp->security = SK_SECURITY_STARTTLS;
  detection->username_is_email = FALSE;

  return detection;
}

static void
test_apply_missing_protocol (void)
{
  g_autoptr(SkDetection) detection = imap_only_detection ();
  g_autoptr(SkAccount) account = new_account ("biuro@example.com", SK_ACCOUNT_TYPE_POP3);
  g_autofree char *said = NULL;
  g_autofree char *again = NULL;

  sk_account_set_incoming_host (account, "pop.example.com");
  sk_account_set_username (account, "biuro");

  /* No POP3 server known: the incoming server is left as it was, and the
   * sentence says so; the user name is not the address here. */
  said = sk_detection_apply (detection, account);
  g_assert_cmpstr (said, ==,
                   "Filled in: outgoing server mail.example.com (port 587, STARTTLS). "
                   "No POP3 server was found for this address: enter the incoming "
                   "server yourself, or choose IMAP.");
  g_assert_cmpstr (sk_account_get_incoming_host (account), ==, "pop.example.com");
  g_assert_cmpuint (sk_account_get_incoming_port (account), ==, 995);
  g_assert_cmpstr (sk_account_get_outgoing_host (account), ==, "mail.example.com");
  g_assert_cmpuint (sk_account_get_outgoing_port (account), ==, 587);
  g_assert_cmpint (sk_account_get_outgoing_security (account), ==, SK_SECURITY_STARTTLS);
  g_assert_cmpstr (sk_account_get_username (account), ==, "biuro");

  again = sk_detection_apply (detection, account);
  g_assert_null (again);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_apply_nothing (void)
{
  g_autoptr(SkDetection) nothing = g_new0 (SkDetection, 1);
  g_autoptr(SkAccount) account = new_account ("biuro@example.com", SK_ACCOUNT_TYPE_IMAP);
  g_autoptr(SkAccount) before = NULL;
  g_autofree char *said = NULL;

  sk_account_set_incoming_host (account, "imap.example.com");
  before = sk_account_copy (account);

  said = sk_detection_apply (nothing, account);
  g_assert_null (said);
  g_assert_true (sk_account_equal (account, before));

  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&before));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/detect/google-settings", test_google_settings);
  g_test_add_func ("/sk/detect/is-gmail", test_is_gmail);
  g_test_add ("/sk/detect/gmail", Fixture, NULL,
              fixture_set_up, test_gmail, fixture_tear_down);
  g_test_add ("/sk/detect/workspace", Fixture, NULL,
              fixture_set_up, test_workspace, fixture_tear_down);
  g_test_add ("/sk/detect/not-google", Fixture, NULL,
              fixture_set_up, test_not_google, fixture_tear_down);
  g_test_add ("/sk/detect/srv-secure", Fixture, NULL,
              fixture_set_up, test_srv_secure, fixture_tear_down);
  g_test_add ("/sk/detect/srv-starttls", Fixture, NULL,
              fixture_set_up, test_srv_starttls, fixture_tear_down);
  g_test_add ("/sk/detect/srv-not-offered", Fixture, NULL,
              fixture_set_up, test_srv_not_offered, fixture_tear_down);
  g_test_add ("/sk/detect/builtin", Fixture, NULL,
              fixture_set_up, test_builtin, fixture_tear_down);
  g_test_add ("/sk/detect/builtin-table", Fixture, NULL,
              fixture_set_up, test_builtin_table, fixture_tear_down);
  g_test_add ("/sk/detect/time-limit", Fixture, NULL,
              fixture_set_up, test_time_limit, fixture_tear_down);
  g_test_add ("/sk/detect/resolver-error", Fixture, NULL,
              fixture_set_up, test_resolver_error, fixture_tear_down);
  g_test_add ("/sk/detect/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/sk/detect/bad-address", Fixture, NULL,
              fixture_set_up, test_bad_address, fixture_tear_down);
  g_test_add_func ("/sk/detect/apply-imap", test_apply_imap);
  g_test_add_func ("/sk/detect/apply-pop3", test_apply_pop3);
  g_test_add_func ("/sk/detect/apply-missing-protocol", test_apply_missing_protocol);
  g_test_add_func ("/sk/detect/apply-nothing", test_apply_nothing);

  return g_test_run ();
}
