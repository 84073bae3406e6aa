import MKTImage

extension SyntheticNUSWide {
    /// Encodes synthetic images with MKTImage: PNG (8-bit RGB) or baseline JPEG at quality 90.
    public static let standardEncoder: SyntheticImageEncoder = { pixels, width, height, png in
        try ImageEncoder.encode(RGBImage(width: width, height: height, pixels: pixels), as: png ? .png : .jpeg, quality: 90)
    }

    /// Generates the dataset with ``standardEncoder``; see
    /// ``generate(to:options:encoder:)``.
    @discardableResult
    public static func generate(to folder: String, options: SyntheticNUSWideOptions = SyntheticNUSWideOptions()) throws
        -> SyntheticNUSWideSummary
    {
        try generate(to: folder, options: options, encoder: standardEncoder)
    }
}
