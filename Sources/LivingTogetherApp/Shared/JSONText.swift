import Foundation

/// JSON written directly, for the few hot answers where `JSONEncoder` dominates the request: strings escaped as
/// RFC 8259 says (quote, backslash and control characters; everything else as UTF-8).
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(8_192) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    mutating func strings(_ list: [String]) {
        bytes.append(0x5B)
        for (i, s) in list.enumerated() { if i > 0 { bytes.append(0x2C) }; string(s) }
        bytes.append(0x5D)
    }

    /// An object of texts by language, keys in order.
    mutating func texts(_ values: [String: String]) {
        bytes.append(0x7B)
        for (i, key) in values.keys.sorted().enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(key); bytes.append(0x3A); string(values[key] ?? "")
        }
        bytes.append(0x7D)
    }

    /// A finite number (NaN and infinities, which JSON cannot hold, as 0).
    mutating func number(_ d: Double) {
        guard d.isFinite else { raw("0"); return }
        if let whole = d.wholeNumber { raw(String(whole)) } else { raw(String(d)) }
    }
}
