import ArgumentParser
import FTServicesCore

/// `--address` of setup, verify and crashtest: checked by the same rule as the config's `address`
/// (``IPv4/check(_:)``), so the command line and the config cannot drift apart.
enum AddressOption {
    static func validate(_ address: String?) throws {
        guard let address, let problem = IPv4.check(address) else { return }
        switch problem {
        case .notIPv4:
            throw ValidationError("--address '\(address)' is not an IPv4 address such as 192.168.1.10")
        case .notConnectable:
            throw ValidationError("--address '\(address)' is not an address clients can connect to (0.0.0.0/8, multicast, reserved or broadcast); give the host's own address")
        }
    }
}
