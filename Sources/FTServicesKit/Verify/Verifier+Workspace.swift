import FTServicesCore
import Foundation

extension Verifier {
    /// The address `verify` checks by default: the one the install's certificate was issued for (what
    /// setup deployed to), else the config's, else this host's address on its default route.
    public static func defaultAddress(workspace: Workspace) throws -> String {
        if let address = try workspace.state.load()?.certificateAddress { return address }
        return workspace.config.address ?? AddressResolver().resolve()
    }
}
