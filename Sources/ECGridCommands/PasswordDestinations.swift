import ECGridActions
import ECGridKit
import Foundation
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `--password-file FILE`: a new file, made 0600 with `O_EXCL` before anything is sent (an
/// existing file, a link, a directory that is not there: refused, exit 2), one line a user:
/// ID, login and password separated by tabs, each line written whole and flushed to disk as
/// its password is set. A file that got no line is removed when the command ends.
final class PasswordFile: PasswordDelivery {
    let path: String
    private let descriptor: Mutex<Int32>
    private let lines = Mutex(0)

    /// Makes the file; throws the reason it cannot be made, in words.
    init(path: String) throws(PasswordFileError) {
        self.path = path
        let made = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard made >= 0 else {
            let reason = errno == EEXIST ? "it already exists (a password file is never overwritten or appended to)"
                : String(cString: strerror(errno))
            throw PasswordFileError(description: "the password file \(path) cannot be made: \(reason)")
        }
        // The mode given to open is masked by the umask; the file is the operator's alone whatever it is.
        _ = fchmod(made, 0o600)
        descriptor = Mutex(made)
    }

    func deliver(_ password: Secret, for user: User) throws -> String {
        // The login comes from the server: sanitised like every text that reaches a terminal (a
        // `cat` of the file), which also keeps a tab or a line end from breaking the fields.
        let login = TerminalText.sanitize(user.login).map { $0 == "\t" ? " " : $0 }
        let line = Array("\(user.userId)\t\(String(login))\t\(password.revealed)\n".utf8)
        try descriptor.withLock { descriptor in
            guard descriptor >= 0, SystemCall.writeAll(descriptor, line), fsync(descriptor) == 0 else {
                throw PasswordFileError(description: "could not be written to \(path): \(String(cString: strerror(errno)))")
            }
        }
        lines.withLock { $0 += 1 }
        return "written to \(path)"
    }

    /// Closes the file; removes it when no password went into it.
    func finish() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
        if lines.withLock({ $0 }) == 0 { unlink(path) }
    }
}

/// Why a password file cannot be made or written.
struct PasswordFileError: Error, CustomStringConvertible {
    var description: String
}

/// The terminal on standard output: each new password printed once, as its step succeeds, with
/// the progress line out of the way. Only used when standard output is a terminal and `--json`
/// was not given.
struct TerminalPasswords: PasswordDelivery {
    let progress: ProgressReporter

    func deliver(_ password: Secret, for user: User) throws -> String {
        progress.clearing {
            Output.print("New password for \(user.userId) \(Output.safe(user.login)) (shown this once, recorded nowhere):")
            // The password is ours (generated here): printed as it is, never sanitised into something else.
            Output.write(Array("  \(password.revealed)\n".utf8))
        }
        return "shown on the terminal"
    }
}

/// The place `contain` chose for new passwords, decided once before anything is sent.
final class PasswordDestination: Sendable {
    private enum Place { case none, terminal, file(PasswordFile) }
    private let place = Mutex<Place>(.none)

    func use(_ file: PasswordFile) { place.withLock { $0 = .file(file) } }

    /// True once a place was chosen.
    var chosen: Bool {
        place.withLock { place in
            if case .none = place { return false }
            return true
        }
    }
    func useTerminal() { place.withLock { $0 = .terminal } }

    /// The place in words, for the confirmation.
    var description: String {
        place.withLock { place in
            switch place {
            case .none: "nowhere (no password step)"
            case .terminal: "this terminal, shown once"
            case .file(let file): "the new file \(file.path) (0600)"
            }
        }
    }

    /// The delivery for the containment (a refusal, never a silent drop, when none was chosen).
    func delivery(_ progress: ProgressReporter) -> any PasswordDelivery {
        place.withLock { place in
            switch place {
            case .none: Nowhere()
            case .terminal: TerminalPasswords(progress: progress)
            case .file(let file): file
            }
        }
    }

    /// Closes the file (removed when it holds no password).
    func finish() {
        if case .file(let file) = place.withLock({ $0 }) { file.finish() }
    }

    private struct Nowhere: PasswordDelivery {
        func deliver(_ password: Secret, for user: User) throws -> String {
            throw PasswordFileError(description: "no place was chosen for new passwords")
        }
    }
}
