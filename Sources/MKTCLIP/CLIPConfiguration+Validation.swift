import Foundation
import MKTFormats
import MKTSupport

/// The towers of a CLIP model; a command that uses one checks only that one's weights.
public enum CLIPTower: Sendable, CaseIterable {
    case text, vision

    /// Whether a Hugging Face `CLIPModel` key belongs to this tower (with its projection).
    public func holds(_ key: String) -> Bool {
        switch self {
        case .text: key.hasPrefix("text_model.") || key == "text_projection.weight"
        case .vision: key.hasPrefix("vision_model.") || key == "visual_projection.weight"
        }
    }
}

extension CLIPConfiguration {
    /// The CLIP BPE vocabulary's size: the text tower must embed every id the tokenizer makes.
    static let tokenizerVocabularySize = 49408

    /// Checks every size against sanity limits before anything is allocated: positive, within
    /// limits no real CLIP comes near, heads dividing widths, patches dividing the image.
    /// - Throws: ``CLIPError`` naming `path` and the field (`vision_config.image_size`, …).
    public func validate(path: String) throws {
        func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>) throws {
            guard range.contains(value) else {
                throw CLIPError(path: path, problem: "\(field) is \(value); expected \(range.lowerBound)…\(range.upperBound)")
            }
        }
        func check(_ field: String, epsilon: Float) throws {
            guard epsilon.isFinite, epsilon > 0, epsilon < 1 else {
                throw CLIPError(path: path, problem: "\(field) is \(epsilon); expected a small positive number such as 1e-05")
            }
        }
        try check("projection_dim", projectionDim, 1...65_536)
        guard logitScaleInitValue.isFinite else {
            throw CLIPError(path: path, problem: "logit_scale_init_value is \(logitScaleInitValue); expected a finite number")
        }
        try check("text_config.hidden_size", text.hiddenSize, 1...65_536)
        try check("text_config.intermediate_size", text.intermediateSize, 1...262_144)
        try check("text_config.num_attention_heads", text.numAttentionHeads, 1...1024)
        try check("text_config.num_hidden_layers", text.numHiddenLayers, 1...512)
        try check("text_config.max_position_embeddings", text.maxPositionEmbeddings, 2...65_536)
        try check("text_config.vocab_size", text.vocabSize, Self.tokenizerVocabularySize...1_000_000)
        try check("text_config.eos_token_id", text.eosTokenId, 0...(text.vocabSize - 1))
        try check("text_config.layer_norm_eps", epsilon: text.layerNormEps)
        try check("vision_config.hidden_size", vision.hiddenSize, 1...65_536)
        try check("vision_config.intermediate_size", vision.intermediateSize, 1...262_144)
        try check("vision_config.num_attention_heads", vision.numAttentionHeads, 1...1024)
        try check("vision_config.num_hidden_layers", vision.numHiddenLayers, 1...512)
        try check("vision_config.image_size", vision.imageSize, 1...4096)
        try check("vision_config.patch_size", vision.patchSize, 1...vision.imageSize)
        try check("vision_config.num_channels", vision.numChannels, 3...3)
        try check("vision_config.layer_norm_eps", epsilon: vision.layerNormEps)
        for (name, width, heads) in [("text_config", text.hiddenSize, text.numAttentionHeads),
                                     ("vision_config", vision.hiddenSize, vision.numAttentionHeads)] {
            guard width % heads == 0 else {
                throw CLIPError(path: path, problem: "\(name).hidden_size \(width) is not divisible by num_attention_heads \(heads)")
            }
        }
        guard vision.imageSize % vision.patchSize == 0 else {
            throw CLIPError(path: path, problem: "vision_config.image_size \(vision.imageSize) is not a multiple of patch_size \(vision.patchSize)")
        }
    }

    /// The parameters of `towers` (and the projections and `logit_scale`), computed without
    /// overflow; `nil` when the count does not fit an `Int` (call after validation, whose limits
    /// keep it well inside).
    public func parameterCount(towers: [CLIPTower] = CLIPTower.allCases) -> Int? {
        func block(_ w: Int, _ i: Int) -> Int? {
            // q, k, v, out projections with biases; fc1, fc2 with biases; two layer norms.
            let attention = 4 * w * w + 4 * w, mlp = 2 * w * i + i + w, norms = 4 * w
            return attention.addingReportingOverflow(mlp).overflow ? nil : attention + mlp + norms
        }
        var total = 1  // logit_scale
        for tower in towers {
            let (w, i, layers): (Int, Int, Int)
            var extra: Int
            switch tower {
            case .text:
                (w, i, layers) = (text.hiddenSize, text.intermediateSize, text.numHiddenLayers)
                extra = (text.vocabSize + text.maxPositionEmbeddings) * w + 2 * w + projectionDim * w
            case .vision:
                (w, i, layers) = (vision.hiddenSize, vision.intermediateSize, vision.numHiddenLayers)
                let p = vision.patchSize
                extra = w * vision.numChannels * p * p + w + vision.tokens * w + 4 * w + projectionDim * w
            }
            guard let perBlock = block(w, i) else { return nil }
            let (blocks, o1) = perBlock.multipliedReportingOverflow(by: layers)
            let (sum, o2) = total.addingReportingOverflow(blocks)
            guard !o1, !o2 else { return nil }
            total = sum + extra
        }
        return total
    }

    /// Checks that the model fits in memory: Float32 parameters of `towers` against the
    /// machine's physical memory.
    /// - Throws: ``CLIPError`` naming `path` when the model needs more than the machine has.
    public func checkMemory(path: String, towers: [CLIPTower] = CLIPTower.allCases,
                            available: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let bytes = parameterCount(towers: towers).map { UInt64($0) * 4 } ?? .max
        guard bytes <= available else {
            let gb = { (b: UInt64) in String(format: "%.1f GB", Double(b) / 1e9) }
            throw CLIPError(path: path, problem: "the model needs \(bytes == .max ? "more than any machine has" : gb(bytes)) for its weights, "
                                                 + "the machine has \(gb(available)); check the sizes in the file")
        }
    }

    /// Checks the shapes the configuration implies against the stored tensors of `towers`
    /// before any model is built: embeddings, the first block's MLP, projections and the number
    /// of encoder layers.
    /// - Throws: ``CLIPError`` naming `path` (the configuration), the tensor and both shapes.
    public func checkWeights(_ file: any TensorSource, path: String, towers: [CLIPTower] = CLIPTower.allCases) throws {
        let fileName = (file.path as NSString).lastPathComponent
        func expect(_ key: String, _ shape: [Int]) throws {
            guard let stored = file.shape(of: key) else { return }  // the strict load names missing tensors
            guard stored == shape || stored.filter({ $0 != 1 }) == shape.filter({ $0 != 1 }) else {
                throw CLIPError(path: path, problem: "implies \(key) of shape \(shape), \(fileName) holds \(stored.prefix(8).map { $0 })")
            }
        }
        func expectLayers(_ prefix: String, _ count: Int, _ field: String) throws {
            var indices = Set<Int>()
            for key in file.keys where key.hasPrefix(prefix) {
                if let n = Int(key.dropFirst(prefix.count).prefix { $0 != "." }) { indices.insert(n) }
            }
            guard indices.isEmpty || indices.count == count else {
                throw CLIPError(path: path, problem: "\(field) is \(count), \(fileName) holds \(indices.count) layers")
            }
        }
        for tower in towers {
            switch tower {
            case .text:
                let w = text.hiddenSize
                try expect("text_model.embeddings.token_embedding.weight", [text.vocabSize, w])
                try expect("text_model.embeddings.position_embedding.weight", [text.maxPositionEmbeddings, w])
                try expect("text_model.encoder.layers.0.mlp.fc1.weight", [text.intermediateSize, w])
                try expect("text_projection.weight", [projectionDim, w])
                try expectLayers("text_model.encoder.layers.", text.numHiddenLayers, "text_config.num_hidden_layers")
            case .vision:
                let w = vision.hiddenSize, p = vision.patchSize
                try expect("vision_model.embeddings.patch_embedding.weight", [w, vision.numChannels, p, p])
                try expect("vision_model.embeddings.position_embedding.weight", [vision.tokens, w])
                try expect("vision_model.encoder.layers.0.mlp.fc1.weight", [vision.intermediateSize, w])
                try expect("visual_projection.weight", [projectionDim, w])
                try expectLayers("vision_model.encoder.layers.", vision.numHiddenLayers, "vision_config.num_hidden_layers")
            }
        }
    }
}
