import ConsoleProfiles
import Foundation
import Testing

@Suite("Config trust: the config file and its directory are the owner's alone")
struct ConfigTrustTests {
    @Test("a config others can write, or in a directory others can write, is refused with the chmod that fixes it")
    func modes() throws {
        let directory = NSTemporaryDirectory() + "ecgrid-trust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.toml"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("[profiles.lab]\nread_only = true\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(try ConfigFile.load(path: path)?.profile("lab")?.readOnly == true)
        for mode in [0o664, 0o646, 0o666] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            do {
                _ = try ConfigFile.load(path: path)
                Issue.record("mode \(String(mode, radix: 8)) was loaded")
            } catch {
                #expect(error.message.contains("Run: chmod go-w \(path)"))
                #expect(error.message.contains("mode \(String(mode, radix: 8))"))
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        do {
            _ = try ConfigFile.load(path: path)
            Issue.record("a config in a world-writable directory was loaded")
        } catch {
            #expect(error.message.contains("Run: chmod go-w \(directory)"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        #expect(try ConfigFile.load(path: path) != nil)
    }
}
