import ConsoleUI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Messages waiting for the UI loop, and a pipe that wakes it when one arrives: the loop
/// sleeps in `poll` on the terminal and this pipe, so an answer is drawn the moment it comes,
/// not at the next tick.
final class MessageInbox: Sendable {
    private let messages = Mutex<[Message]>([])
    /// Read and write ends of the wake pipe (non-blocking; -1 if it could not be made).
    let wakeRead: Int32
    private let wakeWrite: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        } else {
            ends = [-1, -1]
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    func post(_ message: Message) {
        messages.withLock { $0.append(message) }
        wake()
    }

    /// Makes the pipe readable (a full pipe is already readable: nothing is lost).
    func wake() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    func drain() -> [Message] {
        if wakeRead >= 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(wakeRead, &buffer, buffer.count) > 0 {}
        }
        return messages.withLock { list in defer { list = [] }; return list }
    }
}
