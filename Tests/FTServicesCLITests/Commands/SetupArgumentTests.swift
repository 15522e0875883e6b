import ArgumentParser
import FTServicesCore
import Testing
@testable import FTServicesCLI

/// The checks `setup` runs on `--address` and `--registry` before it does anything.
@Suite struct SetupArgumentTests {
    @Test(arguments: ["127.0.0.1", "192.168.1.10"])
    func ipv4AddressesAreAccepted(address: String) throws {
        #expect(IPv4.check(address) == nil)
        for command in ["setup", "verify", "crashtest mysql"] {
            _ = try FTServicesCommand.parseAsRoot(command.split(separator: " ").map(String.init) + ["--address", address])
        }
    }

    @Test(arguments: ["300.1.1.1", "1.2.3", "1.2.3.4.5", "localhost", "", "::1", "1.2.3.4 ", "a.b.c.d", "1.2.3.-4"])
    func otherTextIsNotAnIPv4Address(text: String) {
        #expect(IPv4.check(text) == .notIPv4)
    }

    /// `--address` takes what the config's `address` takes: one rule in the core, so the two cannot drift.
    @Test(arguments: ["0.0.0.0", "255.255.255.255", "224.0.0.1"])
    func addressesClientsCannotReachAreRefused(address: String) {
        for command in ["setup", "verify", "crashtest mysql"] {
            #expect(Comment(rawValue: command)) {
                _ = try FTServicesCommand.parseAsRoot(command.split(separator: " ").map(String.init) + ["--address", address])
            } throws: { error in
                FTServicesCommand.message(for: error).contains("--address '\(address)' is not an address clients can connect to")
            }
        }
    }

    @Test(arguments: ["registry.example.org:5000/ftservices", "localhost:5000/ft", "ghcr.io/owner/ftservices", "10.0.0.5/ft-services",
                      "registry.local/team_a/ft.services", "registry.local/ftservices/"])
    func registryPrefixesAreAccepted(prefix: String) {
        #expect(RegistryPrefix.isValid(prefix))
    }

    @Test(arguments: ["https://registry.example.org/ftservices", "registry.example.org", "registry.example.org:5000",
                      "registry.example.org/ftservices:latest", "registry.example.org/FTServices", "registry.example.org:port/ft",
                      "registry.example.org//ft", "registry.example.org/-ft", "", "/ftservices"])
    func otherTextIsNotARegistryPrefix(text: String) {
        #expect(!RegistryPrefix.isValid(text))
    }
}
