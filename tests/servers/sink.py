# sink.py — an aiosmtpd handler that keeps every message it receives, so
# that a test can read what really arrived at the end of a relay.
#
#   python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c sink.Keep FOLDER
#
# (with this folder on PYTHONPATH) writes each message, byte for byte as
# it came over the wire (CRLF line ends, the dots unstuffed), to
# FOLDER/NNNN.eml.  A file appears whole or not at all: it is written
# under a temporary name and renamed.  A recipient whose local part is
# "refused" is refused, as a server refuses an unknown mailbox.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import itertools
import os

REFUSED = "refused"


class Keep:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)
        os.makedirs(folder, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("sink.Keep takes one argument: the folder to keep messages in")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].lower() == REFUSED:
            return "550 5.1.1 <%s>: Recipient address rejected: no such mailbox" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%04d.eml" % next(self.numbers)
        partial = os.path.join(self.folder, "." + name)
        with open(partial, "wb") as out:
            out.write(envelope.original_content)
        os.rename(partial, os.path.join(self.folder, name))
        return "250 Kept as %s" % name
