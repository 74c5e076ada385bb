#!/usr/bin/python3
# Writes the seeds of fuzz-transcript into corpus/transcript/: real
# dialogues with Gmail and Dovecot, in the input format that
# fuzz-transcript.c describes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

NOTE, CLIENT, SERVER = 0, 1, 2
IMAP, POP3, SMTP = 0, 1, 2
SECURE, NEW = 4, 8
PASSWORD, B64_PASSWORD, B64_PLAIN, B64_PLAIN_AUTHZID = range(4)


def text(source, data, flags=0):
    out = b''
    while data:
        chunk, data = data[:255], data[255:]
        out += bytes([source | flags, len(chunk)]) + chunk
    return out


def secret(source, which):
    return bytes([3 | (source << 4), which])


def seed(name, protocol, flags, code, port, host, user, operations):
    data = bytes([protocol, flags, code, port]) + host + b'\n' + user + b'\n'
    data += bytes([11]) + bytes(range(12))   # a password of 12 letters
    data += b''.join(operations)
    folder = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), 'corpus', 'transcript')
    with open(os.path.join(folder, name), 'wb') as out:
        out.write(data)


seed('imap-webalert', IMAP, 0x81, 1, 0, b'imap.gmail.com', b'biuro@gmail.com', [
    text(NOTE, b'Connected to imap.gmail.com (142.250.27.108) port 993\n'),
    text(SERVER, b'* OK Gimap ready for requests from 192.0.2.1\r\n', SECURE),
    text(CLIENT, b'A001 CAPABILITY\r\n'),
    text(SERVER, b'* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN '
                 b'X-GM-EXT-1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=OAUTHBEARER\r\n'
                 b'A001 OK Thats all she wrote!\r\n'),
    text(CLIENT, b'A002 AUTHENTICATE PLAIN '), secret(CLIENT, B64_PLAIN), text(CLIENT, b'\r\n'),
    text(SERVER, b'* NO [WEBALERT https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgn]'
                 b' Web login required.\r\n'
                 b'A002 NO [ALERT] Please log in via your web browser: '
                 b'https://support.google.com/mail/accounts/answer/78754 (Failure)\r\n'),
])
seed('imap-app-password', IMAP, 0x81, 1, 0, b'imap.gmail.com', b'biuro@gmail.com', [
    text(SERVER, b'* OK Gimap ready\r\n', SECURE),
    text(CLIENT, b'A001 LOGIN biuro@gmail.com '), secret(CLIENT, PASSWORD), text(CLIENT, b'\r\n'),
    text(SERVER, b'A001 NO [ALERT] Application-specific password required: '
                 b'https://support.google.com/accounts/answer/185833 (Failure)\r\n'),
])
seed('imap-starttls-preauth', IMAP, 0x02, 0, 1, b'mail.example.pl', b'jan', [
    text(SERVER, b'* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n'),
    text(CLIENT, b'A001 STARTTLS\r\n'),
    text(SERVER, b'A001 OK Begin TLS negotiation now\r\n'),
    text(SERVER, b'* PREAUTH logged in\r\n', SECURE | NEW),
])
seed('pop3-user-pass', POP3, 0x81, 1, 2, b'pop.gmail.com', b'recent:biuro@gmail.com', [
    text(SERVER, b'+OK Gpop ready for requests from 192.0.2.1\r\n', SECURE),
    text(CLIENT, b'CAPA\r\n'),
    text(SERVER, b'+OK Capability list follows\r\nUSER\r\nSTLS\r\nSASL PLAIN LOGIN\r\n.\r\n'),
    text(CLIENT, b'USER recent:biuro@gmail.com\r\n'),
    text(SERVER, b'+OK send PASS\r\n'),
    text(CLIENT, b'PASS '), secret(CLIENT, PASSWORD), text(CLIENT, b'\r\n'),
    text(SERVER, b'-ERR [AUTH] Application-specific password required\r\n'),
])
seed('pop3-sasl-login', POP3, 0x81, 1, 3, b'pop3.example.pl', b'jan', [
    text(SERVER, b'+OK Dovecot ready.\r\n', SECURE),
    text(CLIENT, b'AUTH LOGIN\r\n'),
    text(SERVER, b'+ VXNlcm5hbWU6\r\n'),
    text(CLIENT, b'amFu\r\n'),
    text(SERVER, b'+ UGFzc3dvcmQ6\r\n'),
    secret(CLIENT, B64_PASSWORD), text(CLIENT, b'\r\n'),
    text(SERVER, b'-ERR [AUTH] Authentication failed.\r\n'),
])
seed('smtp-web-login', SMTP, 0x81, 1, 4, b'smtp.gmail.com', b'biuro@gmail.com', [
    text(SERVER, b'220 smtp.gmail.com ESMTP a1sm123 - gsmtp\r\n', SECURE),
    text(CLIENT, b'EHLO localhost\r\n'),
    text(SERVER, b'250-smtp.gmail.com at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n'
                 b'250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n'
                 b'250 SMTPUTF8\r\n'),
    text(CLIENT, b'AUTH PLAIN '), secret(CLIENT, B64_PLAIN_AUTHZID), text(CLIENT, b'\r\n'),
    text(SERVER, b'534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&plt=AKgn>\r\n'
                 b'534-5.7.14 Please log in via your web browser and then try again.\r\n'
                 b'534 5.7.14  Learn more at https://support.google.com/mail/answer/78754\r\n'),
])
seed('smtp-bad-credentials', SMTP, 0x81, 1, 4, b'smtp.gmail.com', b'biuro@gmail.com', [
    text(SERVER, b'220 smtp.gmail.com ESMTP\r\n', SECURE),
    text(CLIENT, b'AUTH LOGIN\r\n'),
    text(SERVER, b'334 VXNlcm5hbWU6\r\n'),
    text(CLIENT, b'Yml1cm9AZ21haWwuY29t\r\n'),
    text(SERVER, b'334 UGFzc3dvcmQ6\r\n'),
    secret(CLIENT, B64_PASSWORD), text(CLIENT, b'\r\n'),
    text(SERVER, b'535-5.7.8 Username and Password not accepted. For more information, go to\r\n'
                 b'535 5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp\r\n'),
])
# A user name of 64 KiB puts the 64 KiB cut of a line inside the password.
seed('imap-login-cut', IMAP, 0x81, 1, 0, b'imap.example.pl', b'u', [
    text(SERVER, b'* OK ready\r\n', SECURE),
    text(CLIENT, b'A001 LOGIN '), bytes([CLIENT, 0, ord('u'), 255]),
    text(CLIENT, b'u' * 242 + b' '), secret(CLIENT, PASSWORD), text(CLIENT, b'\r\n'),
    text(SERVER, b'A001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n'),
])
