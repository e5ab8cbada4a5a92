# What the benchmarks' Python clients share: reading one HTTP/1.1 reply from a
# kept-alive connection's file.


def read_reply(reader, first):
    """The status and body of the reply whose status line `first` was read."""
    status = int(first.split()[1])
    length = 0
    while True:
        line = reader.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return status, reader.read(length)
