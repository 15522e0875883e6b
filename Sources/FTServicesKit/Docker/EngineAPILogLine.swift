import Foundation

extension EngineAPI {
    /// One line of a container's output.
    public struct LogLine: Sendable, Equatable {
        /// Which stream the line came from.
        public enum Stream: Sendable, Equatable { case stdout, stderr }

        public var stream: Stream
        /// The text without its line ending.
        public var text: String

        public init(stream: Stream, text: String) {
            self.stream = stream
            self.text = text
        }

        /// Decodes Docker's multiplexed stream (containers without a TTY): frames of an 8-byte header
        /// (stream byte 0/1/2, three zero bytes, big-endian UInt32 length) and their payload. Output that
        /// does not start with such a header (a TTY container) is taken as plain stdout.
        public static func decode(_ data: Data) -> [LogLine] {
            let bytes = [UInt8](data)
            guard isMultiplexed(bytes) else { return lines(of: bytes[...], stream: .stdout) }
            var stdout: [UInt8] = []
            var stderr: [UInt8] = []
            var result: [LogLine] = []
            var index = 0
            var current: Stream?
            func flush() {
                result += lines(of: stdout[...], stream: .stdout) + lines(of: stderr[...], stream: .stderr)
                stdout = []
                stderr = []
            }
            while index + 8 <= bytes.count {
                let length = bytes[(index + 4)..<(index + 8)].reduce(0) { $0 << 8 | Int($1) }
                let end = min(index + 8 + length, bytes.count)
                let payload = bytes[(index + 8)..<end]
                let stream: Stream = bytes[index] == 2 ? .stderr : .stdout
                // Lines are kept in arrival order; a frame may hold part of a line, so text is joined
                // per stream until the stream changes.
                if current != stream { flush() }
                current = stream
                if stream == .stderr { stderr += payload } else { stdout += payload }
                index = end
            }
            flush()
            return result
        }

        /// Splits the payload of both streams (for `exec`).
        static func demultiplex(_ data: Data) -> (stdout: String, stderr: String) {
            let bytes = [UInt8](data)
            guard isMultiplexed(bytes) else { return (String(decoding: bytes, as: UTF8.self), "") }
            var out: [UInt8] = []
            var err: [UInt8] = []
            var index = 0
            while index + 8 <= bytes.count {
                let length = bytes[(index + 4)..<(index + 8)].reduce(0) { $0 << 8 | Int($1) }
                let end = min(index + 8 + length, bytes.count)
                if bytes[index] == 2 { err += bytes[(index + 8)..<end] } else { out += bytes[(index + 8)..<end] }
                index = end
            }
            return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
        }

        private static func isMultiplexed(_ bytes: [UInt8]) -> Bool {
            bytes.count >= 8 && bytes[0] <= 2 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0
        }

        private static func lines(of bytes: ArraySlice<UInt8>, stream: Stream) -> [LogLine] {
            guard !bytes.isEmpty else { return [] }
            var parts = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if parts.last?.isEmpty == true { parts.removeLast() }
            return parts.map { part in
                var text = String(decoding: part, as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                return LogLine(stream: stream, text: text)
            }
        }
    }
}
