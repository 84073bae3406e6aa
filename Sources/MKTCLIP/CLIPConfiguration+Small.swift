extension CLIPConfiguration {
    /// A small CLIP architecture for training from scratch on a CPU in minutes (both towers
    /// QuickGELU, pre-LN, as CLIP): by default 64 px images in 8 px patches, width 128, 4 layers
    /// and 4 heads per tower, a 32-token text context, a 128-d joint space, `logit_scale`
    /// starting at ln(1/0.07).
    public static func small(imageSize: Int = 64, patchSize: Int = 8, visionWidth: Int = 128, visionLayers: Int = 4,
                             textWidth: Int = 128, textLayers: Int = 4, heads: Int = 4, contextLength: Int = 32,
                             projectionDim: Int = 128) -> CLIPConfiguration {
        var vision = CLIPConfiguration.VisionConfiguration()
        vision.imageSize = imageSize
        vision.patchSize = patchSize
        vision.hiddenSize = visionWidth
        vision.intermediateSize = 4 * visionWidth
        vision.numHiddenLayers = visionLayers
        vision.numAttentionHeads = heads
        var text = CLIPConfiguration.TextConfiguration()
        text.hiddenSize = textWidth
        text.intermediateSize = 4 * textWidth
        text.numHiddenLayers = textLayers
        text.numAttentionHeads = heads
        text.maxPositionEmbeddings = contextLength
        return CLIPConfiguration(text: text, vision: vision, projectionDim: projectionDim, logitScaleInitValue: 2.6592)
    }
}
