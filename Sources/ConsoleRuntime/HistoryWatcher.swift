import Foundation
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Calls `onChange` when any process appends to the history file: inotify on its directory
/// (so a file not made yet is seen when it is), filtered to the file's name. No polling: a
/// thread of its own sleeps in `poll` until the kernel says the file changed, or `stop`.
package final class HistoryWatcher: Sendable {
    private let inotify: Int32
    private let stopRead: Int32
    private let stopWrite: Int32
    private let stopped = Mutex(false)

    /// Nil when inotify is not available (then the pane reloads after the operator's own actions only).
    package init?(path: String, onChange: @escaping @Sendable () -> Void) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let mask = UInt32(IN_MODIFY) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE)
        guard inotify_add_watch(descriptor, directory.isEmpty ? "." : directory, mask) >= 0 else {
            close(descriptor)
            return nil
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(descriptor)
            return nil
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        inotify = descriptor
        stopRead = ends[0]
        stopWrite = ends[1]
        let (watch, stop) = (descriptor, ends[0])
        Thread.detachNewThread {
            Self.loop(inotify: watch, stop: stop, name: Array(name.utf8), onChange: onChange)
            close(watch)
            close(stop)
        }
    }

    /// Stops watching: the thread ends at its next wake-up, at once.
    package func stop() {
        let first = stopped.withLock { value in defer { value = true }; return !value }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        close(stopWrite)
    }

    private static func loop(inotify: Int32, stop: Int32, name: [UInt8], onChange: @Sendable () -> Void) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let header = MemoryLayout<inotify_event>.size
        while true {
            var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
            guard SystemCall.retryingInterrupts({ poll(&descriptors, 2, -1) }) >= 0, descriptors[1].revents == 0 else { return }
            let count = SystemCall.retryingInterrupts { read(inotify, &buffer, buffer.count) }
            guard count > 0 else { return }
            // Events: a header, then `len` bytes of NUL-padded name.
            var offset = 0
            var changed = false
            while offset + header <= count {
                let length = Int(buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) })
                let nameBytes = buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
                if Array(nameBytes) == name { changed = true }
                offset += header + length
            }
            if changed { onChange() }
        }
    }
}
