import Vapor
import Foundation

/// Random secrets for links, sessions and API tokens. Only their SHA-256 is stored.
enum Tokens {
    /// 32 random bytes, base64url without padding. (Eight bytes per call of the system's generator, and the
    /// alphabet written directly: a page for a first-time visitor makes one, so it is kept cheap.)
    static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        var data: [UInt8] = []
        data.reserveCapacity(bytes + 8)
        while data.count < bytes {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) where data.count < bytes { data.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return base64url(data)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url (RFC 4648 §5) without padding.
    static func base64url(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count * 4 + 2) / 3)
        var i = 0
        while i + 2 < data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let n = UInt32(data[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without revealing through timing where two strings differ.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
