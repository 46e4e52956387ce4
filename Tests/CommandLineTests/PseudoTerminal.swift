import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program running in a pseudo-terminal of its own: every byte it writes to the terminal is
/// kept, keys go in as bytes, and the terminal's modes can be read after the program ends.
/// Unlike tmux, nothing sits between the program and the bytes: what it wrote is what a real
/// terminal over SSH would receive.
final class PseudoTerminal: Sendable {
    let pid: pid_t
    private let master: Int32
    /// Kept open so the terminal's modes can still be read once the program has exited.
    private let slave: Int32
    private let shared = Shared()

    /// What the reader and waiter threads fill in.
    private final class Shared: Sendable {
        let output = Mutex<[UInt8]>([])
        let exit = Mutex<Int32?>(nil)
    }

    /// glibc's POSIX_SPAWN_SETSID (since 2.26), which the Swift overlay does not import.
    private static let spawnSetsid: Int32 = 0x80

    /// Starts `argv` with exactly `environment` on a new terminal of `width` × `height`.
    init(_ argv: [String], environment: [String: String], width: Int = 100, height: Int = 30) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else {
            throw Spawn.Failure(description: "openpty failed: \(String(cString: strerror(errno)))")
        }
        self.master = master
        self.slave = slave

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for target in Int32(0)...2 { posix_spawn_file_actions_adddup2(&actions, slave, target) }
        posix_spawn_file_actions_addclose(&actions, master)
        posix_spawn_file_actions_addclose(&actions, slave)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // A session of its own: signals sent to the test runner's group never reach it.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | Self.spawnSetsid))
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, argv[0], &actions, &attributes, arguments, variables)
        guard result == 0 else {
            close(master)
            close(slave)
            throw Spawn.Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(result)))")
        }
        pid = spawned
        let child = spawned
        let fd = master
        let shared = self.shared
        // The reader owns the master side: it closes it once the program has ended and all
        // output is read, so the descriptor is never reused under it.
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while true {
                let ready = poll(&descriptor, 1, 20)
                if ready > 0 {
                    let count = read(fd, &buffer, buffer.count)
                    if count > 0 {
                        shared.output.withLock { $0.append(contentsOf: buffer[0..<count]) }
                        continue
                    }
                }
                // Read until the program has ended and nothing is left to read.
                if shared.exit.withLock({ $0 }) != nil, ready <= 0 {
                    close(fd)
                    return
                }
            }
        }
        reader.start()
        let waiter = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            shared.exit.withLock { $0 = code }
        }
        waiter.start()
    }

    deinit {
        if exitStatus == nil { _ = Glibc.kill(pid, SIGKILL) }
        close(slave)
    }

    /// Every byte the program wrote so far.
    var bytes: [UInt8] { shared.output.withLock { $0 } }

    /// What it wrote, as text (invalid UTF-8 repaired).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The exit status (128 + the signal when killed), once it has ended.
    var exitStatus: Int32? { shared.exit.withLock { $0 } }

    /// Types bytes at the terminal.
    func send(_ bytes: [UInt8]) {
        guard exitStatus == nil else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func signal(_ number: Int32) { _ = Glibc.kill(pid, number) }

    /// Waits until the output holds `text` (searching from byte `from`), and returns where it ends.
    @discardableResult
    func waitFor(_ text: String, from: Int = 0, timeout: Duration = .seconds(20)) async throws -> Int {
        let needle = Array(text.utf8)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found: Int? = shared.output.withLock { bytes in
                guard bytes.count >= from + needle.count else { return nil }
                return Self.find(needle, in: bytes, from: from).map { $0 + needle.count }
            }
            if let found { return found }
            if exitStatus != nil, shared.output.withLock({ Self.find(needle, in: $0, from: from) }) == nil {
                throw Spawn.Failure(description: "the program ended (status \(exitStatus ?? -1)) before showing \"\(text)\"")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Spawn.Failure(description: "timed out waiting for \"\(text)\" in the terminal output")
    }

    /// Waits until the program has ended, and returns its exit status.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Spawn.Failure(description: "the program did not end within \(timeout)")
    }

    /// The terminal's local modes now: after the program ends, curses must have put them back.
    var echoAndCanonical: (echo: Bool, canonical: Bool) {
        var modes = termios()
        tcgetattr(slave, &modes)
        return ((modes.c_lflag & tcflag_t(ECHO)) != 0, (modes.c_lflag & tcflag_t(ICANON)) != 0)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = max(0, from)
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
