import Foundation
import Testing

import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

@Suite("SystemCall: retry on EINTR, write all, read all")
struct SystemCallTests {
    @Test("a call interrupted by a signal is made again; its result is the first that is no EINTR")
    func retriesInterrupts() {
        var calls = 0
        let result = SystemCall.retryingInterrupts { () -> Int32 in
            calls += 1
            guard calls > 2 else {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 3)
    }

    @Test("any other failure is returned at once, errno kept")
    func otherFailures() {
        var calls = 0
        let result = SystemCall.retryingInterrupts { () -> Int in
            calls += 1
            errno = EBADF
            return -1
        }
        let error = errno
        #expect(result == -1 && error == EBADF)
        #expect(calls == 1)
    }

    @Test("writeAll writes every byte, readAll reads them back from any offset and stops at the end")
    func roundTrip() throws {
        let path = NSTemporaryDirectory() + "systemcall-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer {
            close(descriptor)
            unlink(path)
        }
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(SystemCall.writeAll(descriptor, bytes))
        #expect(SystemCall.readAll(descriptor, count: bytes.count, at: 0) == bytes)
        #expect(SystemCall.readAll(descriptor, count: 10, at: 1000) == Array(bytes[1000..<1010]))
        // Past the end: what there is, then nothing.
        #expect(SystemCall.readAll(descriptor, count: 100, at: bytes.count - 40) == Array(bytes.suffix(40)))
        #expect(SystemCall.readAll(descriptor, count: 100, at: bytes.count) == [])
    }

    @Test("a descriptor that cannot be used: writeAll false and readAll nil, errno says why")
    func failures() {
        // errno read at once, before anything else can change it.
        let written = SystemCall.writeAll(-1, [1, 2, 3])
        let writeError = errno
        let read = SystemCall.readAll(-1, count: 3, at: 0)
        let readError = errno
        #expect(!written && writeError == EBADF)
        #expect(read == nil && readError == EBADF)
    }

    @Test("writing nothing succeeds without a call")
    func empty() {
        #expect(SystemCall.writeAll(-1, []))
    }
}
