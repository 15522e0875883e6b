import Testing
@testable import FTServicesKit

@Suite struct AddressResolverTests {
    @Test func theDefaultRouteNamesTheInterface() {
        let table = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            """
        #expect(AddressResolver.defaultRouteInterface(routeTable: table) == "eth0")
        #expect(AddressResolver.defaultRouteInterface(routeTable: "Iface\tDestination\n") == nil)
    }

    @Test func loopbackHasItsAddressAndAnAddressIsAlwaysResolved() {
        #expect(AddressResolver.ipv4Addresses()["lo"] == "127.0.0.1")
        #expect(AddressResolver().resolve().split(separator: ".").count == 4)
    }
}
