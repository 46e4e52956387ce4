import Foundation
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with posix_spawn, closing every descriptor above 2 in the child, and waits
/// for it on a thread of its own.
///
/// Foundation's `Process` learns that a child ended when a socket the child inherited closes;
/// a program that leaves a daemon behind (tmux starting its server) keeps that socket open and
/// the wait never ends. Closing the descriptors in the child avoids that, and also keeps the
/// test process's sockets (sandbox listeners) out of the daemon.
package enum Spawn {
    /// A program that could not start, or a wait that ran out.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
        package init(description: String) { self.description = description }
    }

    /// Runs `argv` with exactly `environment`, `input` on standard input (none: empty); returns
    /// the exit status (128 + the signal when one ended it) and what it wrote to standard
    /// output and standard error. The one launcher of the tests: `CLI` runs the binary with it.
    package static func run(_ argv: [String], environment: [String: String], input: String = "") async throws -> CLIRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ecgrid-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
        let process = try start(argv, environment: environment, input: input, standardOutput: outPath, standardError: errPath)
        await process.wait()
        let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return CLIRun(
            status: process.exitStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self), stdoutBytes: Array(out))
    }

    /// Starts `argv` with exactly `environment` and `input` on standard input, without waiting
    /// for it: standard output and standard error go to the files named (created or emptied),
    /// `/dev/null` by default. The returned process is watched by a thread of its own.
    package static func start(
        _ argv: [String], environment: [String: String], input: String = "",
        standardOutput: String = "/dev/null", standardError: String = "/dev/null"
    ) throws -> SpawnedProcess {
        let inPath = FileManager.default.temporaryDirectory.appendingPathComponent("ecgrid-spawn-in-\(UUID().uuidString)").path
        try Data(input.utf8).write(to: URL(fileURLWithPath: inPath))
        // posix_spawn returns once the child has run its file actions (or failed to): the
        // input is open in the child by then and the file can go.
        defer { try? FileManager.default.removeItem(atPath: inPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeInheritedDescriptors(&actions)

        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        resetSignals(&attributes)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, arguments, variables)
        guard spawned == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        return SpawnedProcess(pid: pid)
    }

    /// The child starts with no signal blocked and default dispositions: the test runner's
    /// threads block signals, and a tmux server that inherited that mask would never see the
    /// SIGTERM of `kill-server`.
    static func resetSignals(_ attributes: inout posix_spawnattr_t) {
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Closes every descriptor above 2 in the child: glibc's closefrom action when the C
    /// library has it (it is not in the Swift overlay, so it is looked up by name), else one
    /// close action for each descriptor open now (glibc ignores those closed meanwhile).
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}

/// A program `Spawn.start` started: a thread of its own waits for it (`waitpid`), so its end
/// is known without a socket and without blocking the cooperative pool. Reads like Foundation's
/// `Process` where the tests look at it.
package final class SpawnedProcess: Sendable {
    private struct State {
        var status: Int32?
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// The child's process ID (for `kill` and `/proc`).
    package let processIdentifier: pid_t
    private let state = Mutex(State())

    init(pid: pid_t) {
        processIdentifier = pid
        let waiter = Thread { [self] in
            var status: Int32 = 0
            _ = SystemCall.retryingInterrupts { waitpid(pid, &status, 0) }
            let waiting = state.withLock { state in
                state.status = status
                defer { state.waiting = [] }
                return state.waiting
            }
            waiting.forEach { $0.resume() }
        }
        waiter.start()
    }

    /// Whether the child has not ended yet.
    package var isRunning: Bool { state.withLock { $0.status == nil } }

    /// How it ended: `.exit` or `.uncaughtSignal` (meaningful once it has ended).
    package var terminationReason: Process.TerminationReason {
        let status = state.withLock { $0.status } ?? 0
        return (status & 0x7f) == 0 ? .exit : .uncaughtSignal
    }

    /// The exit code, or the signal's number when one ended it (as `Process` gives them).
    package var terminationStatus: Int32 {
        let status = state.withLock { $0.status } ?? 0
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : status & 0x7f
    }

    /// The exit code, or 128 + the signal's number when one ended it (as a shell gives it).
    package var exitStatus: Int32 {
        terminationReason == .exit ? terminationStatus : 128 + terminationStatus
    }

    /// Sends SIGTERM to the child if it has not ended.
    package func terminate() {
        if isRunning { kill(processIdentifier, SIGTERM) }
    }

    /// Returns once the child has ended.
    package func wait() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state in
                if state.status != nil { return true }
                state.waiting.append(done)
                return false
            }
            if ended { done.resume() }
        }
    }
}
