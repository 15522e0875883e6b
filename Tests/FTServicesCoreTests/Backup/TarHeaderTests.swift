import Foundation
import Testing
@testable import FTServicesCore

/// The ustar header `backup` writes and `restore` reads, and the parts an archive may hold.
@Suite struct TarHeaderTests {
    @Test(arguments: [Int64(0), 1, 511, 512, 513, 0o77777777776, 0o77777777777, 10 << 30])
    func sizesRoundTrip(size: Int64) throws {
        let block = TarHeader(name: "wordpress/uploads.tar", size: size, modified: 1_796_000_000).encoded()
        #expect(block.count == 512)
        let header = try TarHeader.decode(block)
        #expect(header == TarHeader(name: "wordpress/uploads.tar", size: size, modified: 1_796_000_000))
        // Beyond 11 octal digits (8 GiB), GNU's base-256 form, which GNU tar and bsdtar read.
        #expect((block[124] == 0x80) == (size >= 0o77777777777))
        #expect(TarHeader.padding(after: size) == (size % 512 == 0 ? 0 : 512 - Int(size % 512)))
    }

    @Test func theChecksumFieldMustBeWrittenAsPOSIXWritesIt() throws {
        let block = TarHeader(name: "format.json", size: 70, modified: 0).encoded()
        #expect(Array(block[148..<156]).suffix(2) == [0, 0x20])
        for index in 148..<156 {
            var changed = block
            changed[index] ^= 0x20
            #expect(throws: TarHeader.Problem.self, "a changed byte \(index) of the checksum field") { try TarHeader.decode(changed) }
        }
        var symlink = block
        symlink[156] = UInt8(ascii: "2")
        let sum = symlink.enumerated().reduce(0) { $0 + ((148..<156).contains($1.offset) ? 0x20 : Int($1.element)) }
        let field = Array(String(format: "%06o", sum).utf8) + [0, 0x20]
        symlink.replaceSubrange(148..<156, with: field)
        #expect(throws: TarHeader.Problem.notRegularFile(name: "format.json", type: "2")) { try TarHeader.decode(symlink) }
        var plain = block
        plain.replaceSubrange(257..<263, with: [UInt8](repeating: 0, count: 6))
        #expect(throws: TarHeader.Problem.notUstar) { try TarHeader.decode(plain) }
    }

    @Test func partsAreTheServicesThatKeepData() {
        #expect(BackupPart.all.map(\.service) == [.mysql, .wordpress, .ftps, .influxdb, .grafana])
        #expect(BackupPart.of(.nginx) == nil && BackupPart.of(.phpmyadmin) == nil)
        #expect(BackupPart.of(.mysql)?.restartAfterRestore == [.wordpress], "WordPress resets its users' passwords when it starts")
        #expect(Set(BackupPart.all.map(\.entry)).count == BackupPart.all.count)
        #expect(BackupPart.entry("ftps/files.tar")?.service == .ftps)
    }

    @Test func theManifestIsStableJSON() throws {
        let manifest = BackupManifest(toolVersion: "0.1.0", createdAt: Date(timeIntervalSince1970: 1_796_000_000), orchestrator: .swarm,
                                      address: "127.0.0.1", parts: [.init(service: "mysql", entry: "mysql/databases.sql", size: 3, sha256: "ab")])
        let text = String(decoding: manifest.encoded(), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"address\" : \"127.0.0.1\",\n  \"createdAt\" : \"2026-11-30T00:53:20Z\",\n  \"format\" : \"ftservices-backup\",\n  \"formatVersion\" : 1,"))
        #expect(try JSONDecoder().decode(BackupManifest.self, from: manifest.encoded()) == manifest)
        #expect(String(decoding: BackupFormat.checksums(format: Data("a".utf8), manifest: Data()), as: UTF8.self)
                == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  format.json\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  manifest.json\n")
    }
}
