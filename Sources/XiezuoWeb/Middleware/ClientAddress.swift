import HTTPTypes
import Hummingbird

/// A network in CIDR form ("10.0.0.0/8", "::1/128"): the proxies whose `X-Forwarded-For` is believed.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    let address: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let base = parts.first, let bytes = Self.bytes(String(base)) else { return nil }
        let bits = bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        address = bytes
        prefixLength = length
    }

    public var description: String { "\(address.count == 4 ? address.map(String.init).joined(separator: ".") : "ipv6")/\(prefixLength)" }

    public func contains(_ text: String) -> Bool {
        guard let b = Self.bytes(text), b.count == address.count else { return false }
        var left = prefixLength
        for i in b.indices where left > 0 {
            let take = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if b[i] & mask != address[i] & mask { return false }
            left -= take
        }
        return true
    }

    /// The bytes of a dotted IPv4 or a colon-separated IPv6 address (with "::"), nil for anything else.
    static func bytes(_ text: String) -> [UInt8]? {
        if text.contains(".") && !text.contains(":") {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            let values = parts.compactMap { p -> UInt8? in p.count <= 3 && p.allSatisfy(\.isNumber) ? UInt8(p) : nil }
            return values.count == 4 ? values : nil
        }
        guard text.contains(":"), text.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            s.isEmpty
                ? []
                : s.split(separator: ":", omittingEmptySubsequences: false).map { $0.count <= 4 ? UInt16($0, radix: 16) : nil }
                    .reduce([UInt16]()) { acc, g in g.map { acc + [$0] } ?? acc + [0, 0, 0, 0, 0, 0, 0, 0, 0] }
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// Who is on the other end: the peer's address, or — only when the peer is one of the configured proxies — the
/// nearest address in `X-Forwarded-For` that is not itself a trusted proxy. Without configured proxies the header
/// is ignored, so nobody can pick the address the throttle and the audit log see.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: [CIDR]
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = Self.client(peer: context.remoteAddress, forwarded: request.headers[values: Self.forwardedFor], trusted: trusted)
        return try await next(request, context)
    }

    static func client(peer: String?, forwarded: [String], trusted: [CIDR]) -> String? {
        guard let peer, !trusted.isEmpty, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let hops = forwarded.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard CIDR.bytes(hop) != nil else { return peer }  // a malformed entry: believe nothing further
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        return hops.first ?? peer
    }
}
