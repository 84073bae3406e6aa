import Foundation
import MKTFormats
import Testing

/// Files a user (or an attacker) can hand us: sizes that overflow, headers numpy and the
/// safetensors reference reject. Each must be one typed error naming the file, never a trap.
@Suite struct HostileFormatTests {
    /// `.npy` bytes with `header` as its (version 1.0) header dictionary and `payload` after it.
    static func npy(_ header: String, payload: Int = 0) -> Data {
        var text = header
        let pad = (64 - (10 + text.utf8.count + 1) % 64) % 64
        text += String(repeating: " ", count: pad) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        data.append(contentsOf: [UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)])
        data.append(Data(text.utf8))
        data.append(Data(count: payload))
        return data
    }

    static func npyError(_ header: String, payload: Int = 0) -> FormatError? {
        do {
            _ = try NpyArray.parse(npy(header, payload: payload), path: "x.npy")
            return nil
        } catch {
            return error as? FormatError
        }
    }

    @Test func npyShapesWhoseByteCountOverflowsAreErrors() {
        for shape in ["(9223372036854775807, 9)", "(4611686018427387904, 4611686018427387904)",
                      "(3, 3074457345618258603)", "(99999999999999999999999,)"] {
            let error = Self.npyError("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }")
            #expect(error?.path == "x.npy", "\(shape)")
            #expect(error?.problem.contains("too large") == true, "\(shape): \(String(describing: error))")
        }
    }

    @Test func npyHeadersNumpyRejectsAreErrors() {
        let bad = [
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ",                          // no closing brace
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,), }",          // duplicate key
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }",             // extra key
            "{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,), }",                          // not a boolean
            "{'descr': '<f4', 'shape': (2,), }",                                                 // missing key
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2), }",                          // not a tuple
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",                        // negative
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk",                    // trailing text
        ]
        for header in bad {
            let error = Self.npyError(header, payload: 8)
            #expect(error?.path == "x.npy", "accepted: \(header)")
        }
        let good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
        #expect(Self.npyError(good, payload: 8) == nil)
        #expect(Self.npyError("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1, 2)}", payload: 8) == nil)
    }

    /// Safetensors bytes: an 8-byte length, `json`, then `payload` zero bytes.
    static func safetensors(_ json: String, payload: Int = 0, length: UInt64? = nil) -> Data {
        let j = Data(json.utf8)
        var out = withUnsafeBytes(of: (length ?? UInt64(j.count)).littleEndian) { Data($0) }
        out.append(j)
        out.append(Data(count: payload))
        return out
    }

    static func safetensorsError(_ json: String, payload: Int = 0, length: UInt64? = nil) -> FormatError? {
        do {
            _ = try SafetensorsFile(data: safetensors(json, payload: payload, length: length), path: "w.safetensors")
            return nil
        } catch {
            return error as? FormatError
        }
    }

    @Test func safetensorsSizesThatOverflowAreErrors() {
        for length: UInt64 in [1 << 63, .max, 1 << 62] {
            #expect(Self.safetensorsError("{}", length: length)?.path == "w.safetensors")
        }
        let error = Self.safetensorsError(#"{"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#, payload: 16)
        #expect(error?.problem.contains("too large") == true, "\(String(describing: error))")
        #expect(Self.safetensorsError(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,99999999999999999999999]}}"#, payload: 8) != nil)
    }

    @Test func safetensorsHeadersTheReferenceRejectsAreErrors() {
        let bad = [
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0.0,8.0]}}"#,                      // float offsets
            #"{"x":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#,                        // float shape
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#,                         // gap before
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}"#,                // extra field
            #"{"x":{"dtype":"F32","shape":[true],"data_offsets":[0,8]}}"#,                       // boolean shape
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#,                           // unterminated
        ]
        for json in bad {
            #expect(Self.safetensorsError(json, payload: 16)?.path == "w.safetensors", "accepted: \(json)")
        }
        #expect(Self.safetensorsError(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"shape":[1],"dtype":"F32","data_offsets":[8,12]}}   "#,
                                      payload: 12) == nil)
    }

    @Test func messagesAreOneBoundedLine() {
        let name = String(repeating: "n", count: 5000) + "\nsecond line"
        let json = "{\"\(name.replacingOccurrences(of: "\n", with: "\\n"))\":{\"dtype\":\"Q9\",\"shape\":[1],\"data_offsets\":[0,4]}}"
        let error = Self.safetensorsError(json, payload: 4)
        let text = error.map { "\($0)" } ?? ""
        #expect(!text.contains("\n"))
        #expect(text.count < 500, "\(text.count) characters")
        #expect(text.contains("Q9"))
    }
}
