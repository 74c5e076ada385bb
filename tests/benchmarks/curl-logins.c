/* curl-logins.c — the floor a connection test is measured against: two bare
 * libcurl logins (IMAPS and SMTPS), in parallel, on two threads
 *
 *   curl-logins HOST IMAPS_PORT SMTPS_PORT USER CAFILE  < password
 *
 * The libcurl options are those the engine sets that change what goes on
 * the wire or how long it waits; what the engine adds beyond them (its
 * threads, step events, transcript, diagnosis, the program's start-up) is
 * what the benchmark weighs.  Prints each login's time; exit 0 when both
 * logged in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct
{
  const char *scheme;
  const char *host;
  const char *port;
  const char *user;
  const char *password;
  const char *cafile;
  CURLcode    code;
  double      seconds;
} Login;

/* The engine reads the exchange through a debug callback (for its steps
 * and its transcript): the floor pays for the callback as well. */
static int
debug_cb (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  size_t *seen = user_data;

  *seen += size;
  return 0;
}

/* Likewise the progress callback, through which the engine cancels. */
static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  return 0;
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
run_login (void *data)
{
  Login *login = data;
  char url[512];
  size_t seen = 0;
  double start = now ();
  CURL *curl = curl_easy_init ();

  if (curl == NULL)
    {
      login->code = CURLE_FAILED_INIT;
      return NULL;
    }

  snprintf (url, sizeof url, "%s://%s:%s/", login->scheme, login->host, login->port);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, login->scheme);
  curl_easy_setopt (curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt (curl, CURLOPT_USERNAME, login->user);
  curl_easy_setopt (curl, CURLOPT_PASSWORD, login->password);
  curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  curl_easy_setopt (curl, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  /* The test CA in place of the bundle file; the system store stays
   * trusted through libcurl's default CA path, as the engine trusts both. */
  curl_easy_setopt (curl, CURLOPT_CAINFO, login->cafile);
  curl_easy_setopt (curl, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (curl, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROXY, "");
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 60L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt (curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, 60L);
  curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, &seen);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);

  login->code = curl_easy_perform (curl);
  login->seconds = now () - start;
  curl_easy_cleanup (curl);

  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  char password[1024];
  size_t length;
  Login logins[2];
  pthread_t threads[2];
  int status = 0;

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s HOST IMAPS_PORT SMTPS_PORT USER CAFILE < password\n", argv[0]);
      return 2;
    }

  if (fgets (password, sizeof password, stdin) == NULL)
    password[0] = '\0';
  length = strcspn (password, "\r\n");
  password[length] = '\0';

  curl_global_init (CURL_GLOBAL_DEFAULT);

  logins[0] = (Login) { "imaps", argv[1], argv[2], argv[4], password, argv[5], CURLE_OK, 0 };
  logins[1] = (Login) { "smtps", argv[1], argv[3], argv[4], password, argv[5], CURLE_OK, 0 };

  for (int i = 0; i < 2; i++)
    pthread_create (&threads[i], NULL, run_login, &logins[i]);
  for (int i = 0; i < 2; i++)
    pthread_join (threads[i], NULL);

  for (int i = 0; i < 2; i++)
    {
      printf ("%s %.3f %s\n", logins[i].scheme, logins[i].seconds,
              curl_easy_strerror (logins[i].code));
      if (logins[i].code != CURLE_OK)
        status = 1;
    }

  explicit_bzero (password, sizeof password);
  curl_global_cleanup ();

  return status;
}
