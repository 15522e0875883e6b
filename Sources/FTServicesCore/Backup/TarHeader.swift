import Foundation

/// A POSIX ustar header block, as backups write and read them: regular files only, names under 100 bytes,
/// sizes in octal up to 8 GiB and in GNU's base-256 form beyond (which GNU tar and bsdtar read).
public struct TarHeader: Sendable, Equatable {
    public static let blockSize = 512

    public var name: String
    public var size: Int64
    /// Seconds since 1970.
    public var modified: Int64
    public var mode: Int = 0o600

    public init(name: String, size: Int64, modified: Int64, mode: Int = 0o600) {
        self.name = name
        self.size = size
        self.modified = modified
        self.mode = mode
    }

    /// Bytes of zero padding after `size` bytes of data, up to the next block.
    public static func padding(after size: Int64) -> Int {
        let rest = Int(size % Int64(blockSize))
        return rest == 0 ? 0 : blockSize - rest
    }

    /// The 512-byte block.
    public func encoded() -> [UInt8] {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8), at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(Int64(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        if size < 0o77777777777 {
            octal(size, at: 124, width: 12)
        } else {
            block[124] = 0x80
            for index in 0..<8 { block[135 - index] = UInt8(truncatingIfNeeded: size >> (8 * index)) }
        }
        octal(modified, at: 136, width: 12)
        block[156] = UInt8(ascii: "0")
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("root", at: 265, width: 32)
        put("root", at: 297, width: 32)
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8), at: 148, width: 6)
        block[154] = 0
        block[155] = 0x20
        return block
    }

    /// Why a block is not a header this reader takes.
    public enum Problem: Error, Sendable, Equatable {
        /// No `ustar` magic: not a (POSIX) tar header at all.
        case notUstar
        /// The stored checksum differs from the block's sum: the block changed.
        case checksum(stored: Int, computed: Int)
        /// A field that cannot be read (a size that is not octal, a name that is not UTF-8).
        case field(String)
        /// Not a regular file (`typeflag` given): a backup holds regular files only.
        case notRegularFile(name: String, type: Character)
    }

    /// Reads a header block (512 bytes, not all zero).
    public static func decode(_ block: some Collection<UInt8>) throws(Problem) -> TarHeader {
        let bytes = Array(block)
        guard bytes.count == blockSize else { throw .field("a header block of \(bytes.count) bytes") }
        guard Array(bytes[257..<262]) == Array("ustar".utf8) else { throw .notUstar }
        var unsigned = 0
        for (index, byte) in bytes.enumerated() { unsigned += (148..<156).contains(index) ? 0x20 : Int(byte) }
        // Six octal digits, NUL, space, as POSIX tars write it: the field is outside its own sum, so a looser
        // reading would let a changed terminator through.
        guard bytes[148..<154].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }), bytes[154] == 0, bytes[155] == 0x20,
              let stored = octal(bytes[148..<154]) else { throw .field("checksum") }
        guard Int(stored) == unsigned else { throw .checksum(stored: Int(stored), computed: unsigned) }
        let name = try text(bytes[0..<100], "name")
        let prefix = try text(bytes[345..<500], "prefix")
        let fullName = prefix.isEmpty ? name : prefix + "/" + name
        let type = Character(UnicodeScalar(bytes[156]))
        guard bytes[156] == 0 || type == "0" else { throw .notRegularFile(name: fullName, type: type) }
        let size: Int64
        if bytes[124] & 0x80 != 0 {
            guard bytes[124] == 0x80, bytes[125..<128].allSatisfy({ $0 == 0 }) else { throw .field("size") }
            size = bytes[128..<136].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            guard size >= 0 else { throw .field("size") }
        } else {
            guard let octalSize = octal(bytes[124..<136]) else { throw .field("size") }
            size = octalSize
        }
        guard let modified = octal(bytes[136..<148]), let mode = octal(bytes[100..<108]) else { throw .field("mtime or mode") }
        return TarHeader(name: fullName, size: size, modified: modified, mode: Int(mode))
    }

    /// An octal field: optional leading spaces, digits, then only NULs and spaces.
    static func octal(_ field: ArraySlice<UInt8>) -> Int64? {
        let trimmed = field.drop { $0 == 0x20 }
        let digits = trimmed.prefix { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }
        guard !digits.isEmpty, digits.count <= 21,
              trimmed.dropFirst(digits.count).allSatisfy({ $0 == 0 || $0 == 0x20 }) else { return nil }
        return digits.reduce(Int64(0)) { $0 << 3 | Int64($1 - UInt8(ascii: "0")) }
    }

    static func text(_ field: ArraySlice<UInt8>, _ what: String) throws(Problem) -> String {
        let bytes = field.prefix { $0 != 0 }
        guard field.dropFirst(bytes.count).allSatisfy({ $0 == 0 }), let text = String(validating: bytes, as: UTF8.self) else {
            throw .field(what)
        }
        return text
    }
}
