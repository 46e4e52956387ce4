import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` (the git commit and the build date) before every build, by
/// running `scripts/build-info`, so `--version` says what was built. The script falls back to
/// "unknown" without git or outside a clone, so a tarball builds as well as a clone.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "scripts/build-info")
        var environment: [String: String] = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] { environment["SOURCE_DATE_EPOCH"] = epoch }
        return [
            .prebuildCommand(
                displayName: "Stamping the commit and build date",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path(percentEncoded: false), context.package.directoryURL.path(percentEncoded: false),
                            output.appending(path: "BuildInfo.swift").path(percentEncoded: false)],
                environment: environment,
                outputFilesDirectory: output),
        ]
    }
}
