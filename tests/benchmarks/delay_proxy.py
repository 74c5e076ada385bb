#!/usr/bin/python3
# delay_proxy.py — a slow link on loopback: a TCP proxy on 127.0.0.1 that
# holds every chunk, in each direction, for a fixed delay before passing it
# on.  The kernels here have no netem; this is the next best thing.
#
#   delay_proxy.py [--delay-ms 25] [--lifetime 120] UPSTREAM_PORT…
#
# For each upstream port on 127.0.0.1 it listens on a free port and prints
# "UPSTREAM_PORT LISTEN_PORT", then "READY".  It stops when standard input
# ends (so it dies with the process that started it), after --lifetime
# seconds, or on SIGTERM.
#
# Chunks are delayed, not throttled: each one leaves `delay` after it
# arrived, in order, so a round trip through the proxy costs two delays.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import os
import signal
import sys

HOST = "127.0.0.1"
CHUNK = 65536


async def _pump(reader, writer, delay):
    """Copies reader to writer, each chunk `delay` seconds late."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                # Pass the end on, late as well: TLS close_notify and
                # QUIT replies must not overtake it.
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    delivery = asyncio.create_task(deliver())
    try:
        while True:
            try:
                data = await reader.read(CHUNK)
            except ConnectionError:
                data = b""
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                break
        await delivery
    finally:
        if not delivery.done():
            delivery.cancel()
            try:
                await delivery
            except asyncio.CancelledError:
                pass


async def _serve(client_reader, client_writer, upstream_port, delay):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection(HOST, upstream_port)
    except OSError:
        client_writer.close()
        return
    pumps = [asyncio.create_task(_pump(client_reader, upstream_writer, delay)),
             asyncio.create_task(_pump(upstream_reader, client_writer, delay))]
    try:
        # Both ends closed, or one failed (a reset): the other goes too.
        await asyncio.wait(pumps, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        for writer in (client_writer, upstream_writer):
            writer.close()


async def _main(args):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    delay = args.delay_ms / 1000.0

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(number, stop.set)

    def stdin_readable():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.remove_reader(sys.stdin.fileno())
            stop.set()
    loop.add_reader(sys.stdin.fileno(), stdin_readable)

    connections = set()

    async def serve(reader, writer, port):
        task = asyncio.current_task()
        connections.add(task)
        try:
            await _serve(reader, writer, port, delay)
        finally:
            connections.discard(task)

    servers = []
    for upstream in args.upstream:
        server = await asyncio.start_server(
            lambda r, w, port=upstream: serve(r, w, port), HOST, 0)
        servers.append(server)
        print(upstream, server.sockets[0].getsockname()[1], flush=True)
    print("READY", flush=True)

    try:
        await asyncio.wait_for(stop.wait(), timeout=args.lifetime)
    except asyncio.TimeoutError:
        print("delay_proxy.py: lifetime over, stopping", file=sys.stderr)
    for server in servers:
        server.close()
    # Connections still open end here, not in the middle of a write.
    for task in connections:
        task.cancel()
    await asyncio.gather(*connections, return_exceptions=True)


def main():
    parser = argparse.ArgumentParser(
        description="A TCP proxy on %s that delays every chunk." % HOST)
    parser.add_argument("--delay-ms", type=float, default=25.0,
                        help="delay of every chunk in each direction (default 25)")
    parser.add_argument("--lifetime", type=float, default=120.0,
                        help="stop after this many seconds (default 120)")
    parser.add_argument("upstream", type=int, nargs="+",
                        help="ports on %s to stand in front of" % HOST)
    asyncio.run(_main(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
