import Foundation
import MKTSupport

/// A read-only view of a zip archive whose members are stored uncompressed, as PyTorch writes
/// its checkpoints (`torch.save` since 1.6 and TorchScript's `torch.jit.save`).
///
/// The central directory (zip64 included) is read and every member's byte range is checked to
/// lie inside the file; compressed members are refused when read (PyTorch never compresses
/// tensor data).
struct ZipArchive: Sendable {
    /// One member: where its bytes are and how they are stored.
    struct Member: Sendable {
        let method: Int
        let size: Int
        let localHeader: Int
    }

    let path: String
    let data: Data
    /// The members by name.
    let members: [String: Member]

    /// Whether `data` starts like a zip archive.
    static func looksLikeZip(_ data: Data) -> Bool {
        data.count >= 4 && data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    /// Reads the central directory of `data`; `path` names the file in errors.
    /// - Throws: ``FormatError`` for a truncated or malformed directory.
    init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        let bytes = ByteReader(data: data, path: path)
        let n = data.count
        guard n >= 22 else { throw FormatError(path: path, problem: "truncated zip archive (\(n) bytes)") }
        var eocd = -1
        var i = n - 22
        while i >= max(0, n - 22 - 65_535) {
            if try bytes.u32(i) == 0x0605_4B50 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw FormatError(path: path, problem: "truncated zip archive (no end-of-directory record)") }
        var count = try bytes.u16(eocd + 10), directorySize = try bytes.u32(eocd + 12), directoryStart = try bytes.u32(eocd + 16)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryStart == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard locator >= 0, try bytes.u32(locator) == 0x0706_4B50 else {
                throw FormatError(path: path, problem: "malformed zip64 archive (no zip64 locator)")
            }
            let record = try bytes.u64(locator + 8)
            guard try bytes.u32(record) == 0x0606_4B50 else {
                throw FormatError(path: path, problem: "malformed zip64 archive (no zip64 end-of-directory record)")
            }
            (count, directorySize, directoryStart) = (try bytes.u64(record + 32), try bytes.u64(record + 40), try bytes.u64(record + 48))
        }
        guard count <= 1_000_000, directoryStart <= n, directorySize <= n - directoryStart else {
            throw FormatError(path: path, problem: "malformed zip archive (a directory of \(count) members at byte \(directoryStart) does not fit the file)")
        }
        var members: [String: Member] = [:]
        var at = directoryStart
        for _ in 0..<count {
            guard try bytes.u32(at) == 0x0201_4B50 else {
                throw FormatError(path: path, problem: "malformed zip archive (bad directory entry at byte \(at))")
            }
            let method = try bytes.u16(at + 10)
            var compressed = try bytes.u32(at + 20), size = try bytes.u32(at + 24)
            let nameLength = try bytes.u16(at + 28), extraLength = try bytes.u16(at + 30), commentLength = try bytes.u16(at + 32)
            var local = try bytes.u32(at + 42)
            let name = String(decoding: try bytes.slice(at + 46, nameLength), as: UTF8.self)
            // The zip64 extra field holds, in this order, the sizes and offset that overflowed.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try bytes.u16(extra), length = try bytes.u16(extra + 2)
                if id == 0x0001 {
                    var field = extra + 4
                    if size == 0xFFFF_FFFF { size = try bytes.u64(field); field += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = try bytes.u64(field); field += 8 }
                    if local == 0xFFFF_FFFF { local = try bytes.u64(field) }
                }
                extra += 4 + length
            }
            guard members[name] == nil else {
                throw FormatError(path: path, problem: "zip member \(MessageText.quoted(name, to: 100)) appears twice")
            }
            members[name] = Member(method: method, size: method == 0 ? size : compressed, localHeader: local)
            at = extraEnd + commentLength
        }
        self.members = members
    }

    /// The bytes of member `name`.
    /// - Throws: ``FormatError`` when it is absent, compressed, or does not fit the file.
    func bytes(_ name: String) throws -> Data {
        guard let member = members[name] else {
            throw FormatError(path: path, problem: "no member \(MessageText.quoted(name, to: 100)) in the archive")
        }
        guard member.method == 0 else {
            throw FormatError(path: path, problem: "member \(MessageText.quoted(name, to: 100)) is compressed (method \(member.method)); PyTorch checkpoints store members uncompressed")
        }
        let reader = ByteReader(data: data, path: path)
        guard try reader.u32(member.localHeader) == 0x0403_4B50 else {
            throw FormatError(path: path, problem: "malformed zip archive (no local header for \(MessageText.quoted(name, to: 100)))")
        }
        let start = member.localHeader + 30 + (try reader.u16(member.localHeader + 26)) + (try reader.u16(member.localHeader + 28))
        guard start <= data.count, member.size <= data.count - start else {
            throw FormatError(path: path, problem: "truncated zip archive: member \(MessageText.quoted(name, to: 100)) needs \(member.size) bytes at byte \(start) of \(data.count)")
        }
        return data[(data.startIndex + start)..<(data.startIndex + start + member.size)]
    }
}

/// Little-endian integers read at checked offsets of a file's bytes.
struct ByteReader {
    let data: Data
    let path: String

    private func check(_ offset: Int, _ count: Int) throws {
        guard offset >= 0, count >= 0, offset <= data.count, count <= data.count - offset else {
            throw FormatError(path: path, problem: "truncated file: \(count) bytes needed at byte \(offset) of \(data.count)")
        }
    }

    func u16(_ offset: Int) throws -> Int {
        try check(offset, 2)
        return Int(data.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) })
    }

    func u32(_ offset: Int) throws -> Int {
        try check(offset, 4)
        return Int(data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) })
    }

    /// A 64-bit size or offset; values that do not fit an `Int` are refused.
    func u64(_ offset: Int) throws -> Int {
        try check(offset, 8)
        let value = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        guard let v = Int(exactly: value), v <= Int(Int32.max) << 24 else {
            throw FormatError(path: path, problem: "size or offset \(value) at byte \(offset) is out of range")
        }
        return v
    }

    func slice(_ offset: Int, _ count: Int) throws -> Data {
        try check(offset, count)
        return data[(data.startIndex + offset)..<(data.startIndex + offset + count)]
    }
}
