import Foundation
import FTServicesTestSupport
import Testing
@testable import FTServicesKit

@Suite struct AddressResolverTests {
    static let table = """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
        eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
        """

    @Test func theDefaultRouteNamesTheInterface() {
        #expect(AddressResolver.defaultRouteInterface(routeTable: Self.table) == "eth0")
        #expect(AddressResolver.defaultRouteInterface(routeTable: "Iface\tDestination\n") == nil)
    }

    @Test func theAddressIsTheDefaultRouteInterfaces() {
        let addresses = ["lo": "127.0.0.1", "docker0": "172.17.0.1", "eth0": "192.0.2.2"]
        #expect(AddressResolver(routeTable: { Self.table }, interfaceAddresses: { addresses }).resolve() == "192.0.2.2")
    }

    @Test func withoutADefaultRouteOrItsAddressTheAddressIsLoopback() {
        let addresses = ["lo": "127.0.0.1", "docker0": "172.17.0.1", "eth0": "192.0.2.2"]
        let noRoute = "Iface\tDestination\tGateway\ndocker0\t000011AC\t00000000\t0001\n"
        #expect(AddressResolver(routeTable: { noRoute }, interfaceAddresses: { addresses }).resolve() == "127.0.0.1")
        #expect(AddressResolver(routeTable: { nil }, interfaceAddresses: { addresses }).resolve() == "127.0.0.1")
        #expect(AddressResolver(routeTable: { Self.table }, interfaceAddresses: { ["lo": "127.0.0.1"] }).resolve() == "127.0.0.1")
    }

    @Test func loopbackHasItsAddress() {
        #expect(AddressResolver.ipv4Addresses()["lo"] == "127.0.0.1")
    }

    /// What the kernel answers for a route to the outside (`ip route get`: `… dev IFACE src ADDRESS …`),
    /// or nil on a host without a default route or without iproute2.
    static let kernelSourceAddress: String? = {
        guard let output = try? TestFiles.output(["ip", "-4", "route", "get", "198.51.100.1"]) else { return nil }
        let words = output.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let index = words.firstIndex(of: "src"), index + 1 < words.count, !words.contains("lo") else { return nil }
        return words[index + 1]
    }()

    /// On this host, the resolver picks the address the kernel itself uses to reach another machine.
    @Test(.enabled(if: kernelSourceAddress != nil, "no default route here (or no `ip`): nothing to compare the resolver with"))
    func theResolverAgreesWithTheKernel() throws {
        let kernel = try #require(Self.kernelSourceAddress)
        #expect(AddressResolver().resolve() == kernel)
    }
}
