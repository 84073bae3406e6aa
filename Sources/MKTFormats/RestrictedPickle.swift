import Foundation
import MKTSupport

/// The element types of PyTorch storages, by their pickled class (`torch.FloatStorage`, …).
public enum TorchDType: String, Sendable, CaseIterable {
    case float = "FloatStorage", half = "HalfStorage", bfloat16 = "BFloat16Storage", double = "DoubleStorage"
    case long = "LongStorage", int = "IntStorage", short = "ShortStorage", char = "CharStorage"
    case byte = "ByteStorage", bool = "BoolStorage"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .double, .long: 8
        case .float, .int: 4
        case .half, .bfloat16, .short: 2
        case .char, .byte, .bool: 1
        }
    }
}

/// A tensor of a PyTorch checkpoint as `torch._utils._rebuild_tensor_v2` describes it: a view
/// (offset, shape, strides in elements) of a storage held in the archive.
struct TorchTensorReference: Sendable {
    let dtype: TorchDType
    /// The storage's key: its bytes are the archive member `data/KEY`.
    let storageKey: String
    /// The storage's element count as pickled.
    let storageCount: Int
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

/// A value of a restricted pickle. Containers are classes, because pickle mutates them after
/// memoising them, and because the reader keeps every container in an arena that it empties
/// one by one (``RestrictedPickle/dismantle()``): a hostile pickle nesting millions of
/// containers is then freed without a deep chain of releases.
enum PickleValue {
    case none, bool(Bool), int(Int), float(Double), string(String), bytes([UInt8])
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    /// One of the few classes and functions the reader knows (never anything it would run).
    case global(PickleGlobal)
    /// An instance of a TorchScript class: only its attributes.
    case object(PickleObject)
    case storage(dtype: TorchDType, key: String, count: Int)
    case tensor(TorchTensorReference)
}

/// A pickle container, emptied by ``RestrictedPickle/dismantle()``.
protocol PickleContainer: AnyObject {
    func empty()
}

final class PickleTuple: PickleContainer {
    private(set) var items: [PickleValue]
    init(_ items: [PickleValue]) { self.items = items }
    func empty() { items = [] }
}
final class PickleList: PickleContainer {
    var items: [PickleValue] = []
    func empty() { items = [] }
}
final class PickleDict: PickleContainer {
    var items: [(key: PickleValue, value: PickleValue)] = []
    func empty() { items = [] }
}
final class PickleObject: PickleContainer {
    let className: String
    var attributes: [(name: String, value: PickleValue)] = []
    init(className: String) { self.className = className }
    func empty() { attributes = [] }
}

/// The globals a state dict may name.
enum PickleGlobal {
    case orderedDict, rebuildTensor, rebuildParameter
    case storage(TorchDType)
    /// A `__torch__.*` class of a TorchScript archive.
    case torchScriptClass(String)
}

/// A pickle reader that understands only what PyTorch state dicts are made of: the protocol-2
/// (and a few protocol-4) opcodes for numbers, strings, tuples, lists and dicts, memo and
/// persistent ids, and the globals `collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`,
/// `torch._utils._rebuild_parameter` and the storage classes (plus `__torch__.*` classes, as
/// plain attribute holders, in TorchScript archives). Every other opcode or global is refused
/// with a one-line error; nothing is ever imported, called or executed.
struct RestrictedPickle {
    let bytes: [UInt8]
    let path: String
    let allowsTorchScriptClasses: Bool

    private var index = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Every container made, in order (see ``dismantle()``).
    private var arena: [any PickleContainer] = []

    init(bytes: [UInt8], path: String, allowsTorchScriptClasses: Bool) {
        (self.bytes, self.path, self.allowsTorchScriptClasses) = (bytes, path, allowsTorchScriptClasses)
    }

    private func fail(_ problem: String) -> FormatError {
        FormatError(path: path, problem: "pickle: \(problem)")
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - index else { throw fail("truncated (\(count) bytes needed at byte \(index) of \(bytes.count))") }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    private mutating func unsigned(_ count: Int) throws -> Int {
        var value = 0
        for (i, b) in try take(count).enumerated() { value |= Int(b) << (8 * i) }
        return value
    }

    private mutating func length(_ count: Int) throws -> Int {
        let n = count == 8 ? try int64() : try unsigned(count)
        guard n >= 0, n <= bytes.count - index else { throw fail("a length of \(n) at byte \(index) runs past the end") }
        return n
    }

    private mutating func int64() throws -> Int {
        var value: UInt64 = 0
        for (i, b) in try take(8).enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        return Int(truncatingIfNeeded: value)
    }

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else { throw fail("stack underflow at byte \(index)") }
        return value
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no mark at byte \(index)") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private mutating func push(_ value: PickleValue) throws {
        guard stack.count < 10_000_000 else { throw fail("stack too deep") }
        switch value {
        case let .tuple(c): arena.append(c)
        case let .list(c): arena.append(c)
        case let .dict(c): arena.append(c)
        case let .object(c): arena.append(c)
        default: break
        }
        stack.append(value)
    }

    /// Empties every container made, so that values are freed one level at a time, and
    /// forgets the stack and memo. Call when done with the result.
    mutating func dismantle() {
        stack = []
        memo = [:]
        for container in arena { container.empty() }
        arena = []
    }

    private mutating func line() throws -> String {
        guard let end = bytes[index...].firstIndex(of: 0x0A), end - index <= 1000 else { throw fail("unterminated name at byte \(index)") }
        defer { index = end + 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    private func global(_ module: String, _ name: String) throws -> PickleGlobal {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch", _):
            if let dtype = TorchDType(rawValue: name) { return .storage(dtype) }
        default:
            if allowsTorchScriptClasses && (module == "__torch__" || module.hasPrefix("__torch__.")) {
                return .torchScriptClass(module + "." + name)
            }
        }
        throw fail("refused global \(MessageText.quoted(module + "." + name, to: 80)): only collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
                   + "torch._utils._rebuild_parameter and torch storage types are read (nothing is ever run)")
    }

    private func ints(_ value: PickleValue, _ what: String) throws -> [Int] {
        guard case let .tuple(tuple) = value else { throw fail("\(what) is not a tuple") }
        return try tuple.items.map {
            guard case let .int(n) = $0 else { throw fail("\(what) holds a non-integer") }
            return n
        }
    }

    private func call(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case let .global(function) = callable, case let .tuple(tuple) = arguments else {
            throw fail("REDUCE of something that is not an allowed global at byte \(index)")
        }
        let args = tuple.items
        switch function {
        case .orderedDict:
            guard args.isEmpty else { throw fail("collections.OrderedDict called with arguments") }
            return .dict(PickleDict())
        case .rebuildTensor:
            guard args.count >= 4, case let .storage(dtype, key, count) = args[0], case let .int(offset) = args[1] else {
                throw fail("torch._utils._rebuild_tensor_v2 called with unexpected arguments")
            }
            let shape = try ints(args[2], "a tensor's size"), strides = try ints(args[3], "a tensor's stride")
            guard shape.count == strides.count, shape.count <= 64, offset >= 0 else { throw fail("a tensor's size, stride or offset is invalid") }
            return .tensor(TorchTensorReference(dtype: dtype, storageKey: key, storageCount: count, offset: offset, shape: shape, strides: strides))
        case .rebuildParameter:
            guard let first = args.first, case .tensor = first else { throw fail("torch._utils._rebuild_parameter called without a tensor") }
            return first
        case .storage, .torchScriptClass:
            throw fail("a class is called with REDUCE; state dicts never do this")
        }
    }

    /// Runs the pickle and returns its value.
    /// - Throws: ``FormatError`` naming the file for any opcode or global outside the
    ///   state-dict subset, and for truncated or malformed data.
    mutating func read() throws -> PickleValue {
        while true {
            let at = index
            let op = try unsigned(1)
            switch op {
            case 0x80: _ = try unsigned(1)                                   // PROTO
            case 0x95: _ = try take(8)                                       // FRAME
            case 0x2E: return try pop()                                      // STOP
            case 0x28: marks.append(stack.count)                             // MARK
            case 0x30: _ = try pop()                                         // POP
            case 0x31: _ = try popToMark()                                   // POP_MARK
            case 0x32: guard let top = stack.last else { throw fail("DUP on an empty stack") }; try push(top)
            case 0x4E: try push(.none)                                       // NONE
            case 0x88: try push(.bool(true))
            case 0x89: try push(.bool(false))
            case 0x4A: try push(.int(Int(Int32(truncatingIfNeeded: try unsigned(4)))))   // BININT
            case 0x4B: try push(.int(try unsigned(1)))                      // BININT1
            case 0x4D: try push(.int(try unsigned(2)))                      // BININT2
            case 0x8A:                                                       // LONG1
                let n = try unsigned(1)
                guard n <= 8 else { throw fail("integer of \(n) bytes at byte \(at) is too large") }
                let raw = try take(n)
                var value: UInt64 = 0
                for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
                if n > 0 && n < 8 && raw.last! & 0x80 != 0 { value |= ~0 << (8 * UInt64(n)) }
                try push(.int(Int(truncatingIfNeeded: value)))
            case 0x47:                                                       // BINFLOAT (big-endian)
                var bits: UInt64 = 0
                for b in try take(8) { bits = bits << 8 | UInt64(b) }
                try push(.float(Double(bitPattern: bits)))
            case 0x58, 0x8C, 0x8D:                                           // BINUNICODE, SHORT_, 8
                let n = try length(op == 0x58 ? 4 : op == 0x8C ? 1 : 8)
                try push(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x54, 0x55:                                                 // BINSTRING, SHORT_BINSTRING
                let n = try length(op == 0x54 ? 4 : 1)
                try push(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x42, 0x43:                                                 // BINBYTES, SHORT_BINBYTES
                let n = try length(op == 0x42 ? 4 : 1)
                try push(.bytes(Array(try take(n))))
            case 0x29: try push(.tuple(PickleTuple([])))                    // EMPTY_TUPLE
            case 0x74: try push(.tuple(PickleTuple(try popToMark())))       // TUPLE
            case 0x85, 0x86, 0x87:                                           // TUPLE1..3
                let n = Int(op - 0x84)
                guard stack.count - n >= (marks.last ?? 0) else { throw fail("stack underflow at byte \(at)") }
                let items = Array(stack.suffix(n))
                stack.removeLast(n)
                try push(.tuple(PickleTuple(items)))
            case 0x5D: try push(.list(PickleList()))                        // EMPTY_LIST
            case 0x6C:                                                       // LIST
                let list = PickleList()
                list.items = try popToMark()
                try push(.list(list))
            case 0x61, 0x65:                                                 // APPEND, APPENDS
                let items = op == 0x61 ? [try pop()] : try popToMark()
                guard case let .list(list)? = stack.last else { throw fail("APPEND to something that is not a list at byte \(at)") }
                list.items.append(contentsOf: items)
            case 0x7D: try push(.dict(PickleDict()))                        // EMPTY_DICT
            case 0x64, 0x73, 0x75:                                           // DICT, SETITEM, SETITEMS
                let items = op == 0x73 ? [try pop(), try pop()].reversed() : try popToMark()
                guard items.count % 2 == 0 else { throw fail("odd number of dict items at byte \(at)") }
                let pairs = stride(from: 0, to: items.count, by: 2).map { (key: items[$0], value: items[$0 + 1]) }
                if op == 0x64 {
                    let dict = PickleDict()
                    dict.items = pairs
                    try push(.dict(dict))
                } else {
                    guard case let .dict(dict)? = stack.last else { throw fail("SETITEM on something that is not a dict at byte \(at)") }
                    dict.items.append(contentsOf: pairs)
                }
            case 0x71, 0x72, 0x94:                                           // BINPUT, LONG_BINPUT, MEMOIZE
                let key = op == 0x71 ? try unsigned(1) : op == 0x72 ? try unsigned(4) : memo.count
                guard let top = stack.last else { throw fail("memo of an empty stack at byte \(at)") }
                memo[key] = top
            case 0x68, 0x6A:                                                 // BINGET, LONG_BINGET
                let key = try unsigned(op == 0x68 ? 1 : 4)
                guard let value = memo[key] else { throw fail("memo key \(key) is not defined (byte \(at))") }
                try push(value)
            case 0x63:                                                       // GLOBAL
                let module = try line(), name = try line()
                try push(.global(try global(module, name)))
            case 0x93:                                                       // STACK_GLOBAL
                guard case let .string(name) = try pop(), case let .string(module) = try pop() else {
                    throw fail("STACK_GLOBAL without two strings at byte \(at)")
                }
                try push(.global(try global(module, name)))
            case 0x52:                                                       // REDUCE
                let arguments = try pop(), callable = try pop()
                try push(try call(callable, arguments))
            case 0x81:                                                       // NEWOBJ
                let arguments = try pop(), cls = try pop()
                guard case let .global(.torchScriptClass(name)) = cls, case let .tuple(args) = arguments, args.items.isEmpty else {
                    throw fail("NEWOBJ of something other than a TorchScript class at byte \(at)")
                }
                try push(.object(PickleObject(className: name)))
            case 0x62:                                                       // BUILD
                let state = try pop()
                guard let target = stack.last else { throw fail("BUILD on an empty stack at byte \(at)") }
                switch (target, state) {
                case let (.object(object), .dict(attributes)):
                    for (key, value) in attributes.items {
                        guard case let .string(name) = key else { throw fail("a TorchScript attribute name is not a string") }
                        object.attributes.append((name, value))
                    }
                case (.dict, _), (.tensor, _):
                    break                                                    // OrderedDict._metadata, tensor state: not weights
                default:
                    throw fail("BUILD on something that is not a TorchScript object or a dict at byte \(at)")
                }
            case 0x51:                                                       // BINPERSID
                guard case let .tuple(tuple) = try pop(), case let id = tuple.items, id.count == 5, case .string("storage") = id[0],
                      case let .global(.storage(dtype)) = id[1], case let .string(key) = id[2], case let .int(count) = id[4], count >= 0 else {
                    throw fail("a persistent id other than ('storage', type, key, location, size) at byte \(at)")
                }
                try push(.storage(dtype: dtype, key: key, count: count))
            default:
                throw fail("opcode 0x\(String(op, radix: 16)) at byte \(at) is not one that state dicts use; refused")
            }
        }
    }
}
