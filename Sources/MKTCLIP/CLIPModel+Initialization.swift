import Foundation
import MKTNN
import MKTSupport
import MKTTensor

extension CLIPModel {
    /// A CLIP model with fresh random weights, initialised as Hugging Face `CLIPModel` does
    /// (`_init_weights` with `initializer_range` 0.02 and factor 1), from a seed.
    ///
    /// - token and position embeddings: N(0, 0.02²); the class embedding N(0, 1/C);
    ///   the patch embedding N(0, 0.02²);
    /// - attention q/k/v: N(0, (C^-½ · (2·layers)^-½)²), out: N(0, (C^-½)²);
    /// - MLP fc1: N(0, ((2C)^-½)²), fc2: N(0, (C^-½ · (2·layers)^-½)²);
    /// - projections: N(0, (tower width^-½)²); biases 0; layer norms weight 1, bias 0;
    /// - `logit_scale` = `logit_scale_init_value` (ln(1/0.07) ≈ 2.6592 by default).
    ///
    /// ```swift
    /// let clip = CLIPModel.randomlyInitialized(config, seed: 7)
    /// ```
    public static func randomlyInitialized(_ config: CLIPConfiguration, seed: UInt64) -> CLIPModel {
        let model = CLIPModel(config)
        var rng = SplitMix64(seed: seed)
        func normal(_ p: Parameter, _ std: Double) {
            p.wrappedValue = .normal(p.wrappedValue.shape, std: Float(std), using: &rng)
        }
        func initLayers(_ encoder: CLIPEncoder, width: Int) {
            let c = Double(width), layers = Double(encoder.layers.count)
            let inStd = pow(c, -0.5) * pow(2 * layers, -0.5), outStd = pow(c, -0.5), fcStd = pow(2 * c, -0.5)
            for layer in encoder.layers {
                for proj in [layer.selfAttn.qProj, layer.selfAttn.kProj, layer.selfAttn.vProj] { normal(proj.$weight, inStd) }
                normal(layer.selfAttn.outProj.$weight, outStd)
                normal(layer.mlp.fc1.$weight, fcStd)
                normal(layer.mlp.fc2.$weight, inStd)
            }
        }
        let text: CLIPTextTransformer = model.textModel, vision: CLIPVisionTransformer = model.visionModel
        normal(text.embeddings.tokenEmbedding.$weight, 0.02)
        normal(text.embeddings.positionEmbedding.$weight, 0.02)
        initLayers(text.encoder, width: config.text.hiddenSize)
        normal(vision.embeddings.$classEmbedding, pow(Double(config.vision.hiddenSize), -0.5))
        normal(vision.embeddings.patchEmbedding.$weight, 0.02)
        normal(vision.embeddings.positionEmbedding.$weight, 0.02)
        initLayers(vision.encoder, width: config.vision.hiddenSize)
        normal(model.visualProjection.$weight, pow(Double(config.vision.hiddenSize), -0.5))
        normal(model.textProjection.$weight, pow(Double(config.text.hiddenSize), -0.5))
        // Biases start at 0 and layer norms at (1, 0), as `CLIPModel(config)` already holds them.
        return model
    }
}
