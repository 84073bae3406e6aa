import Foundation
import MKTNN
import MKTSupport

/// A Hugging Face `CLIPConfig` (`config.json`): the two towers' sizes and the projection.
///
/// Missing fields take `transformers`' defaults, so any HF CLIP checkpoint's config parses.
public struct CLIPConfiguration: Codable, Sendable, Equatable {
    /// The text tower (`text_config`).
    public var text: TextConfiguration
    /// The vision tower (`vision_config`).
    public var vision: VisionConfiguration
    /// The joint embedding width.
    public var projectionDim: Int
    /// The initial `logit_scale` (ln 100 ≈ 4.6052 for OpenAI CLIP; HF's default 2.6592).
    public var logitScaleInitValue: Float

    /// The text transformer's configuration.
    public struct TextConfiguration: Codable, Sendable, Equatable {
        public var hiddenSize: Int = 512
        public var intermediateSize: Int = 2048
        public var numAttentionHeads: Int = 8
        public var numHiddenLayers: Int = 12
        public var maxPositionEmbeddings: Int = 77
        public var vocabSize: Int = 49408
        public var hiddenAct: Activation = .quickGELU
        public var layerNormEps: Float = 1e-5
        public var eosTokenId: Int = 49407
        public init() {}
    }

    /// The vision transformer's configuration.
    public struct VisionConfiguration: Codable, Sendable, Equatable {
        public var hiddenSize: Int = 768
        public var intermediateSize: Int = 3072
        public var numAttentionHeads: Int = 12
        public var numHiddenLayers: Int = 12
        public var imageSize: Int = 224
        public var patchSize: Int = 32
        public var numChannels: Int = 3
        public var hiddenAct: Activation = .quickGELU
        public var layerNormEps: Float = 1e-5
        public init() {}

        /// Patches per side.
        public var gridSize: Int { imageSize / patchSize }
        /// Tokens per image: CLS + patches.
        public var tokens: Int { gridSize * gridSize + 1 }
    }

    /// A configuration with `transformers`' defaults (ViT-B/32 sizes).
    public init(text: TextConfiguration = .init(), vision: VisionConfiguration = .init(),
                projectionDim: Int = 512, logitScaleInitValue: Float = 2.6592) {
        self.text = text
        self.vision = vision
        self.projectionDim = projectionDim
        self.logitScaleInitValue = logitScaleInitValue
    }

    enum CodingKeys: String, CodingKey {
        // Raw values are camelCase: the coders convert from and to snake_case.
        case text = "textConfig", vision = "visionConfig", projectionDim, logitScaleInitValue
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decodeIfPresent(TextConfiguration.self, forKey: .text) ?? .init()
        vision = try c.decodeIfPresent(VisionConfiguration.self, forKey: .vision) ?? .init()
        projectionDim = try c.decodeIfPresent(Int.self, forKey: .projectionDim) ?? 512
        logitScaleInitValue = try c.decodeIfPresent(Float.self, forKey: .logitScaleInitValue) ?? 2.6592
    }

    /// Reads `config.json`.
    /// - Throws: ``CLIPError`` naming the file when it is missing or malformed.
    public static func read(_ path: String) throws -> CLIPConfiguration {
        if let problem = InputFile.problem(path) {
            throw CLIPError(path: path, problem: problem == "no such file" ? "no such file (a CLIP model folder needs config.json)" : problem)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIPError(path: path, problem: "cannot read the file")
        }
        try checkModelType(data, path: path)
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let config = try decoder.decode(CLIPConfiguration.self, from: data)
            try config.validate(path: path)
            return config
        } catch let error as CLIPError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw CLIPError(path: path, problem: "malformed JSON (\(context.debugDescription))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw CLIPError(path: path, problem: "invalid value for \(key): \(context.debugDescription)")
        } catch {
            throw CLIPError(path: path, problem: "cannot parse (\(error))")
        }
    }

    /// Other model families whose folders look like CLIP's, by `model_type`.
    static let otherFamilies: [String: String] = [
        "siglip": "a SigLIP model", "siglip2": "a SigLIP 2 model", "chinese_clip": "a Chinese-CLIP model",
        "altclip": "an AltCLIP model", "owlvit": "an OWL-ViT detector", "owlv2": "an OWLv2 detector",
        "x_clip": "an X-CLIP video model", "clipseg": "a CLIPSeg model", "groupvit": "a GroupViT model",
        "align": "an ALIGN model", "blip": "a BLIP model", "blip-2": "a BLIP-2 model", "flava": "a FLAVA model",
        "clip_vision_model": "a CLIP vision tower alone (CLIPVisionModel)",
        "clip_text_model": "a CLIP text tower alone (CLIPTextModel)",
    ]

    /// Refuses a `config.json` of another model family (by its `model_type`) and activation
    /// names this toolkit does not compute, each in one line naming the file and the key.
    /// - Throws: ``CLIPError`` naming `path`.
    static func checkModelType(_ data: Data, path: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }  // the decoder reports it
        if let type = object["model_type"] as? String, type != "clip" {
            let what = otherFamilies[type].map { " (\($0))" } ?? ""
            throw CLIPError(path: path, problem: "model_type is \(MessageText.quoted(type, to: 40))\(what); mkt reads CLIP models "
                                                 + "(model_type \"clip\": the CLIPModel layout with text_config and vision_config)")
        }
        let names = Activation.allCases.map(\.rawValue)
        for tower in ["text_config", "vision_config"] {
            guard let act = (object[tower] as? [String: Any])?["hidden_act"] as? String, !names.contains(act) else { continue }
            throw CLIPError(path: path, problem: "\(tower).hidden_act is \(MessageText.quoted(act, to: 40)), an activation mkt does not compute; "
                                                 + "expected one of \(names.joined(separator: ", "))")
        }
    }

    /// The JSON to write next to a saved model.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(self)) as! [String: Any]
        object["architectures"] = ["CLIPModel"]
        object["model_type"] = "clip"
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

extension CLIPConfiguration.TextConfiguration {
    enum CodingKeys: String, CodingKey {
        case hiddenSize, intermediateSize, numAttentionHeads, numHiddenLayers, maxPositionEmbeddings
        case vocabSize, hiddenAct, layerNormEps, eosTokenId
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = Self()
        d.hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        d.intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? d.intermediateSize
        d.numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? d.numAttentionHeads
        d.numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? d.numHiddenLayers
        d.maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? d.maxPositionEmbeddings
        d.vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        d.hiddenAct = try c.decodeIfPresent(Activation.self, forKey: .hiddenAct) ?? d.hiddenAct
        d.layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? d.layerNormEps
        d.eosTokenId = try c.decodeIfPresent(Int.self, forKey: .eosTokenId) ?? d.eosTokenId
        self = d
    }
}

extension CLIPConfiguration.VisionConfiguration {
    enum CodingKeys: String, CodingKey {
        case hiddenSize, intermediateSize, numAttentionHeads, numHiddenLayers, imageSize, patchSize
        case numChannels, hiddenAct, layerNormEps
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = Self()
        d.hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        d.intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? d.intermediateSize
        d.numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? d.numAttentionHeads
        d.numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? d.numHiddenLayers
        d.imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? d.imageSize
        d.patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? d.patchSize
        d.numChannels = try c.decodeIfPresent(Int.self, forKey: .numChannels) ?? d.numChannels
        d.hiddenAct = try c.decodeIfPresent(Activation.self, forKey: .hiddenAct) ?? d.hiddenAct
        d.layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? d.layerNormEps
        self = d
    }
}
