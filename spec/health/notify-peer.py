# Stands in for systemd: a unix datagram socket that prints each notification as "<CLOCK_MONOTONIC ns> <message>"
# (newlines as "|"), and closes the file descriptors of BARRIER=1 so systemd-notify's barrier completes.
import array
import os
import socket
import sys
import time

path = sys.argv[1]
peer = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
peer.bind(path)
print("LISTENING", flush=True)
while True:
    data, ancillary, _flags, _address = peer.recvmsg(4096, socket.CMSG_SPACE(64 * 4))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                os.close(fd)
    message = data.decode("utf-8", "replace").strip().replace("\n", "|")
    if message != "BARRIER=1":
        print("%d %s" % (time.monotonic_ns(), message), flush=True)
