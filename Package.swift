// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target of ours: Swift 6 language mode with strict concurrency.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ecgrid-console",
    products: [
        .executable(name: "ecgrid-console", targets: ["ecgrid-console"]),
        // The client core and its production transport.
        .library(name: "ECGridKit", targets: ["ECGridKit", "ECGridTransport"]),
        .library(name: "ECGridSandbox", targets: ["ECGridSandbox"]),
        .library(name: "IncidentLog", targets: ["IncidentLog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        // The sandbox's throwaway CA and server certificate (and the tests' untrusted ones).
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.15.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
    ],
    targets: [
        // The POSIX calls done once: retry on EINTR, write all, read all. No dependencies, so
        // any target may use it.
        .target(name: "SystemCalls", swiftSettings: strict),
        // Models, rules and the client over the `HTTPTransport` seam: no network stack in it.
        .target(
            name: "ECGridKit",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The production transport: AsyncHTTPClient on NIO, TLS and the trust store.
        .target(
            name: "ECGridTransport",
            dependencies: [
                "ECGridKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "IncidentLog",
            dependencies: [
                "ECGridKit",
                "SystemCalls",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // "Record, then send": the one action pipeline, above the client and the history.
        .target(name: "ECGridActions", dependencies: ["ECGridKit", "IncidentLog"], swiftSettings: strict),
        .target(
            name: "ConsoleProfiles",
            dependencies: ["ECGridKit", "ECGridTransport", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict
        ),
        .target(
            name: "ConsoleUI",
            dependencies: ["ECGridKit"],
            swiftSettings: strict
        ),
        .target(
            name: "ConsoleRuntime",
            dependencies: ["ConsoleUI", "ECGridKit", "IncidentLog", "ECGridActions", "SystemCalls"],
            swiftSettings: strict
        ),
        // The incident report: the history's write-up for security (Markdown, JSON, HTML).
        .target(
            name: "IncidentReport",
            dependencies: ["ECGridKit", "ECGridActions", "IncidentLog", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The accessible console: the console's work as lines, for screen readers and any terminal.
        .target(
            name: "LineConsole",
            dependencies: ["ConsoleRuntime", "ECGridActions", "ECGridKit", "IncidentLog", "SystemCalls"],
            swiftSettings: strict
        ),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        .systemLibrary(name: "CProcessGuard", path: "Sources/CProcessGuard"),
        .target(
            name: "ConsoleTerminal",
            dependencies: ["CNCurses", "ConsoleUI", "ECGridKit", "SystemCalls"],
            swiftSettings: strict
        ),
        .target(
            name: "ECGridSandbox",
            dependencies: [
                "ECGridKit",
                "ECGridTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // The command line: every argument-parser command, output, progress, exit status, tables,
        // prompts, ID lists and process hardening. A library, so argument rules are tested in-process.
        .target(
            name: "ECGridCommands",
            dependencies: [
                "CProcessGuard",
                "ECGridKit",
                "ECGridTransport",
                "ECGridActions",
                "ECGridSandbox",
                "IncidentLog",
                "ConsoleUI",
                "ConsoleRuntime",
                "ConsoleTerminal",
                "ConsoleProfiles",
                "LineConsole",
                "IncidentReport",
                "SystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            plugins: ["BuildInfoPlugin"]
        ),
        .executableTarget(name: "ecgrid-console", dependencies: ["ECGridCommands"], swiftSettings: strict),
        // Writes BuildInfo.swift (commit, build date) for --version before every build.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // What the tests drive the console and the sandbox with: one console driver (in memory:
        // the executable's ConsoleProgram on a MemoryTerminal; or the binary in tmux), one
        // sandbox fixture, one process launcher.
        .target(
            name: "ConsoleTestSupport",
            dependencies: ["ConsoleRuntime", "ConsoleUI", "ECGridActions", "ECGridKit", "ECGridTransport", "ECGridSandbox", "IncidentLog", "SystemCalls"],
            path: "Tests/ConsoleTestSupport",
            swiftSettings: strict
        ),
        // Plays an operator's script into the console in tmux with the tests' driver
        // (screenshots/make.sh uses it).
        .executableTarget(
            name: "console-driver",
            dependencies: ["ConsoleTestSupport"],
            path: "Tests/ConsoleDriverTool",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ECGridKitTests",
            dependencies: [
                "ECGridKit", "ECGridTransport", "ECGridSandbox", "ConsoleTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The sandbox's router in-process (`.router`) and over plain HTTP (`.live`).
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        // The command line in-process: argument rules (parseAsRoot), tables, prompts, exit status.
        .testTarget(
            name: "ECGridCommandsTests",
            dependencies: ["ECGridCommands", "ECGridKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IncidentReportTests",
            dependencies: ["IncidentReport", "IncidentLog", "ECGridKit"],
            exclude: ["Golden"],
            swiftSettings: strict
        ),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls"], swiftSettings: strict),
        .testTarget(
            name: "ConsoleUITests",
            dependencies: ["ConsoleUI", "ECGridKit"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleTerminalTests",
            dependencies: ["ConsoleTerminal", "ConsoleUI", "ECGridKit"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleProfilesTests",
            dependencies: ["ConsoleProfiles", "ECGridKit"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ECGridActionsTests",
            dependencies: ["ECGridActions", "ECGridKit", "IncidentLog", "ECGridSandbox", "ConsoleTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IncidentLogTests",
            dependencies: ["ECGridKit", "IncidentLog"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CommandLineTests",
            dependencies: [
                "ECGridKit", "ECGridTransport", "ECGridActions", "ECGridSandbox", "IncidentLog", "ConsoleUI", "ConsoleRuntime", "ConsoleTestSupport",
                "ecgrid-console",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
    ]
)
