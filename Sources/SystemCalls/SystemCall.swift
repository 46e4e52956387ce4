#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the project repeats, done once: a call retried when a signal interrupts
/// it, and reading or writing a whole buffer across short transfers.
///
/// When a signal handler runs (ncurses' for SIGWINCH, the password prompt's), a blocking call
/// may return `EINTR` having done nothing: `poll` always, others unless the handler asked for
/// them to be restarted. That is no failure: the call is made again. As with swift-nio's
/// `syscall` wrapper, this is the one place that rule is written.
/// Failures other than `EINTR` are returned as the C call returns them, `errno` set, so each
/// caller keeps its own way of reporting them.
public enum SystemCall {
    /// The result of `call`, made again for as long as it fails with `EINTR`. A result of -1
    /// is any other failure, with `errno` telling which.
    @inlinable
    public static func retryingInterrupts<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result == -1, errno == EINTR { continue }
            return result
        }
    }

    /// Writes every byte of `bytes` to `descriptor`, across short writes and interruptions.
    /// False when a write fails (`errno` says why) or writes nothing, which would otherwise
    /// loop for ever; the bytes before it were written.
    @discardableResult
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = retryingInterrupts {
                    write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    /// Reads `count` bytes from `descriptor` at `offset` with `pread` (the descriptor's own
    /// offset, which an `O_APPEND` writer relies on, is left alone), across short reads and
    /// interruptions; fewer when the file ends first. Nil when a read fails (`errno` says why).
    public static func readAll(_ descriptor: Int32, count: Int, at offset: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                retryingInterrupts {
                    pread(descriptor, buffer.baseAddress.map { $0 + got }, count - got, off_t(offset + got))
                }
            }
            guard read >= 0 else { return nil }
            if read == 0 { break }
            got += read
        }
        bytes.removeLast(count - got)
        return bytes
    }
}
