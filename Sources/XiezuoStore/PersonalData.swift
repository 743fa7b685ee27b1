import Crypto
import Foundation

/// Encryption of personal data (ID numbers, phones) at rest, and the keyed hash that lets a row be found by its
/// natural key without storing the key in clear. AES-256-GCM with a fresh nonce per value; HMAC-SHA256 for lookups.
///
/// Where the key is kept is `DataKeySource`'s concern. The database remembers a fingerprint of the key, so opening it
/// with another key fails loudly instead of showing garbage.
public struct PersonalDataCipher: Sendable {
    let key: SymmetricKey
    let indexKey: SymmetricKey

    public init(keyData: Data) {
        key = SymmetricKey(data: keyData)
        indexKey = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data("xiezuo natural keys".utf8), using: key)))
    }

    /// A key written as base64 text (a key file's contents, `XIEZUO_DATA_KEY`); nil unless it is 32 bytes.
    public init?(base64 text: String) {
        guard let d = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), d.count == 32 else { return nil }
        self.init(keyData: d)
    }

    /// A fresh random key.
    public static func generate() -> PersonalDataCipher {
        PersonalDataCipher(keyData: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// The key as a key file holds it (what `backup` and `migrate --to` hand on with the data).
    public var base64: String { key.withUnsafeBytes { Data($0) }.base64EncodedString() }

    public static let prefix = "enc1:"

    public func encrypt(_ plain: String) throws -> String {
        guard !plain.isEmpty else { return "" }
        let box = try AES.GCM.seal(Data(plain.utf8), using: key)
        return Self.prefix + box.combined!.base64EncodedString()
    }

    public func decrypt(_ stored: String) throws -> String {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        guard let d = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))) else { throw PersonalDataError.wrongKey }
        do {
            return String(decoding: try AES.GCM.open(try AES.GCM.SealedBox(combined: d), using: key), as: UTF8.self)
        } catch { throw PersonalDataError.wrongKey }
    }

    /// Bytes sealed whole (a staged upload: a sheet with ID numbers in clear), as text for a TEXT column.
    public func encrypt(data: Data) throws -> String {
        Self.prefix + (try AES.GCM.seal(data, using: key)).combined!.base64EncodedString()
    }

    public func decrypt(data stored: String) throws -> Data {
        guard stored.hasPrefix(Self.prefix), let d = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))) else {
            throw PersonalDataError.wrongKey
        }
        do { return try AES.GCM.open(try AES.GCM.SealedBox(combined: d), using: key) } catch { throw PersonalDataError.wrongKey }
    }

    /// A stable keyed digest (32 hex digits) of a natural key.
    public func digest(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: indexKey)
        return hexString(mac.prefix(16))
    }

    /// What the database remembers of the key (never the key itself).
    public var fingerprint: String { digest("xiezuo key fingerprint") }
}

public enum PersonalDataError: Error, CustomStringConvertible, Equatable {
    case badKey(String)
    case cannotCreate(String)
    case wrongKey, keyMismatch
    /// The data to copy in were encrypted with a key the target does not use, and it takes its key from a variable.
    case handOff(String)

    public var description: String {
        switch self {
        case .badKey(let w): return "个人信息加密密钥无效 / the personal-data key in \(w) is not 32 bytes of base64."
        case .cannotCreate(let p): return "无法创建加密密钥文件 / cannot create the personal-data key file \(p); set XIEZUO_DATA_KEY."
        case .handOff(let setting):
            return
                "目标数据库须使用与数据相同的个人信息密钥 / the target must use the personal-data key the data were written with: run the command again with\(setting)."
        case .wrongKey, .keyMismatch:
            return
                "该数据库的个人信息是用另一把密钥加密的 / this database's personal data was encrypted with another key: put its key file beside the database (NAME.sqlite.key) or set XIEZUO_DATA_KEY."
        }
    }
}
