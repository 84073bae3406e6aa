import MKTCLIP
import MKTNN
import MKTSupport
import MKTTensor
import MKTTokenizer
import MKTTraining

/// How the learned prompt context is shared.
public enum PromptContextMode: String, Codable, Sendable, CaseIterable {
    /// The reference: one learned vector per distinct context token id (the rows of the token
    /// table that the prompts read), shared by every label and every position holding that id.
    case mkt
    /// CoOp-style: one learned vector per context position.
    case coop
}

/// Learned prompt context for a template such as `There is a {} in the scene` (mkt-method §1.5).
///
/// Each label's prompt is `SOT, prefix…, label tokens…, suffix…, EOT`. The label tokens use a
/// frozen snapshot of the pretrained token table; every other position up to EOT reads a
/// learned context vector, initialised from the pretrained rows of its token. The text tower
/// stays frozen; its pooled output at EOT through `text_projection` is the label embedding.
///
/// Shapes: L labels, T = the longest prompt, C text width, D projection.
public final class PromptLearner: Module {
    /// [R, C]: R distinct context tokens (``PromptContextMode/mkt``) or context vectors (coop).
    @Parameter public var context: Tensor
    /// The context token ids in prompt order (mkt: SOT, prefix, suffix, EOT; coop: the
    /// initialising words, or −1 for random initialisation).
    public let contextTokenIDs: [Int32]
    /// For each context position (prompt order), its row in ``context``.
    public let contextRows: [Int]
    public let mode: PromptContextMode
    public let template: String
    private var labelIndices: [Int]        // [L · T] rows of [context; frozen rows; zero row]
    private let endPositions: [Int]
    private var frozenRows: Tensor         // [M + 1, C]: frozen token rows, then a zero pad row
    private let frozenIDs: [Int]           // [M] the token id of each frozen row
    private let length: Int

    /// Prompts for `labels` from `template` (with `{}`), initialised from `model`'s token table.
    ///
    /// - Parameters:
    ///   - mode: ``PromptContextMode/mkt`` learns the template's own tokens (SOT and EOT
    ///     included); ``PromptContextMode/coop`` learns `contextLength` vectors placed before the
    ///     label (`SOT, ctx…, label…, ".", EOT`, as CoOp), initialised from the template's words
    ///     when there are exactly `contextLength` of them before `{}`, else randomly
    ///     (N(0, 0.02²), seeded).
    /// - Throws: ``TokenizerError`` if a label's tokens cannot be located in the prompt, or a
    ///   prompt is longer than the text tower's positions; ``MKTTraining/TrainingSettingsError``
    ///   for no labels or `contextLength` < 1 in coop mode.
    public init(labels: [String], template: String, tokenizer: CLIPTokenizer, model: CLIPModel,
                mode: PromptContextMode = .mkt, contextLength: Int = 16, seed: UInt64 = 42) throws {
        try TrainingSettingsError.require(!labels.isEmpty, "labels", "no labels to learn a prompt for")
        let table = model.textModel.embeddings.tokenEmbedding.weight                         // [V, C]
        let width = table.shape[1]
        enum Slot { case learned(Int), frozen(Int) }
        var prompts: [[Slot]] = []
        var initialRows: Tensor
        switch mode {
        case .mkt:
            let tokens = try labels.map { try tokenizer.promptTokens(template: template, label: $0) }
            let first = tokens[0]
            let order = Array(first.ids[..<first.labelRange.lowerBound]) + Array(first.ids[first.labelRange.upperBound...])
            var distinct: [Int32] = []
            var rows: [Int] = []
            for id in order {
                if let r = distinct.firstIndex(of: id) { rows.append(r) } else { distinct.append(id); rows.append(distinct.count - 1) }
            }
            for p in tokens {
                var k = 0
                prompts.append(p.ids.enumerated().map { j, id in
                    if p.labelRange.contains(j) { return .frozen(Int(id)) }
                    defer { k += 1 }
                    return .learned(rows[k])
                })
            }
            initialRows = table.gatherRows(distinct.map(Int.init))
            contextTokenIDs = order
            contextRows = rows
        case .coop:
            try TrainingSettingsError.atLeast(1, contextLength, "contextLength")
            let words = template.range(of: "{}").map { tokenizer.encode(String(template[..<$0.lowerBound])) } ?? []
            if words.count == contextLength {
                initialRows = table.gatherRows(words.map(Int.init))
                contextTokenIDs = words
            } else {
                var rng = SplitMix64(seed: seed)
                initialRows = Tensor.normal([contextLength, width], std: 0.02, using: &rng)
                contextTokenIDs = Array(repeating: -1, count: contextLength)
            }
            contextRows = Array(0..<contextLength)
            let period = tokenizer.encode(".").map(Int.init)
            for label in labels {
                let ids = tokenizer.encode(label).map(Int.init)
                prompts.append([.frozen(Int(tokenizer.startToken))] + (0..<contextLength).map { .learned($0) }
                               + (ids + period).map { .frozen($0) } + [.frozen(Int(tokenizer.endToken))])
            }
        }
        let rowCount = initialRows.shape[0]
        let t = prompts.map(\.count).max()!
        let positions = model.textModel.configuration.maxPositionEmbeddings
        if let long = prompts.firstIndex(where: { $0.count > positions }) {
            throw TokenizerError(path: "template \"\(template)\"",
                                 problem: "the prompt of label \"\(labels[long])\" has \(prompts[long].count) tokens, more than the text tower's \(positions) positions")
        }
        var frozenIDs: [Int] = []
        var frozenRow: [Int: Int] = [:]
        var indices: [Int] = []
        for p in prompts {
            for slot in p {
                switch slot {
                case let .learned(r): indices.append(r)
                case let .frozen(id):
                    if frozenRow[id] == nil { frozenRow[id] = frozenIDs.count; frozenIDs.append(id) }
                    indices.append(rowCount + frozenRow[id]!)
                }
            }
            indices.append(contentsOf: Array(repeating: rowCount + frozenIDs.count, count: t - p.count))  // padding
        }
        // The zero row for padding is appended after the frozen rows (index rowCount + frozenIDs.count).
        labelIndices = indices
        self.frozenIDs = frozenIDs
        frozenRows = Tensor.concatenate([table.gatherRows(frozenIDs).reshaped([frozenIDs.count, width]),
                                         Tensor.zeros([1, width])], axis: 0).detached()
        context = initialRows.detached()
        endPositions = prompts.map { $0.count - 1 }
        length = t
        self.mode = mode
        self.template = template
        super.init()
    }

    /// The label embeddings [L, D] through the frozen text tower.
    public func labelEmbeddings(_ model: CLIPModel) -> Tensor {
        let combined = Tensor.concatenate([context, frozenRows], axis: 0)                  // [R + M + 1, C]
        let c = combined.shape[1]
        let x = combined.gatherRows(labelIndices).reshaped([endPositions.count, length, c]) // [L, T, C]
        return model.textProjection(model.textModel.pooled(tokenEmbeddings: x, endPositions: endPositions))
    }

    /// Makes the label tokens read the token table as the reference's stage 2 left it
    /// (``LabelSnapshot/decayed``): every frozen row scaled by `decay` (the product of
    /// `1 − lr · weight decay` over the training steps), and a frozen token that is also a
    /// context token reading its learned context vector. Call it after loading the prompt.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` in ``PromptContextMode/coop`` mode, whose
    ///   context is not a row of the token table.
    public func snapshotLabelTokens(decay: Double) throws {
        try TrainingSettingsError.require(mode == .mkt, "labelSnapshot",
                                          "a decayed label snapshot needs a prompt learned in mkt mode (the context is then rows of the token table), not \(mode.rawValue)")
        let rowCount = context.shape[0]
        var contextRow: [Int: Int] = [:]
        for (position, id) in contextTokenIDs.enumerated() where contextRow[Int(id)] == nil { contextRow[Int(id)] = contextRows[position] }
        labelIndices = labelIndices.map { i in
            guard i >= rowCount, i - rowCount < frozenIDs.count, let row = contextRow[frozenIDs[i - rowCount]] else { return i }
            return row
        }
        frozenRows = (frozenRows * Tensor(Float(decay))).detached()
    }

    /// The context per position in prompt order [positions, C] (what `prompt.safetensors` stores).
    public var contextByPosition: Tensor { context.gatherRows(contextRows) }

    /// L, the labels the prompts are built for.
    public var labelCount: Int { endPositions.count }
}
