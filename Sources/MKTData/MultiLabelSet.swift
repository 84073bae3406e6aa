import Foundation
import MKTFormats
import MKTSupport

/// A list of images with multi-label ground truth: what training and evaluation consume.
///
/// Row `i` of ``labels`` belongs to ``imagePaths``[i]; column `l` is ``labelNames``[l].
///
/// On disk it is three files: an image list (one path per line, relative to the list's folder
/// unless absolute), a label matrix `.npy` [N, L] (+1 / −1 / 0, or 0/1), and a label list.
///
/// ```swift
/// let test = try MultiLabelSet.load(imageList: "test-images.txt", labels: "test-zsl-labels.npy",
///                                   labelNames: "unseen-labels.txt")
/// ```
public struct MultiLabelSet: Sendable, Equatable {
    /// [N] absolute image paths.
    public var imagePaths: [String]
    /// [N, L] ground truth.
    public var labels: GroundTruthMatrix
    /// [L] label names.
    public var labelNames: [String]

    /// Creates a set; the three parts must agree in size.
    public init(imagePaths: [String], labels: GroundTruthMatrix, labelNames: [String]) {
        precondition(imagePaths.count == labels.rows && labelNames.count == labels.columns, "sizes disagree")
        self.imagePaths = imagePaths
        self.labels = labels
        self.labelNames = labelNames
    }

    /// The mean number of present labels per image.
    public var positivesPerImage: Double {
        Double(labels.values.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }) / Double(max(labels.rows, 1))
    }

    /// Reads an image list, a label matrix and (optionally) a label list.
    /// - Parameters:
    ///   - imageList: the image list.
    ///   - labels: the `.npy` ground truth [N, L].
    ///   - labelNames: a label list with L names; without it labels are named `label0`, ...
    /// - Throws: ``DataError``/`FormatError` naming the files when one is unreadable or the sizes
    ///   disagree.
    public static func load(imageList: String, labels: String, labelNames: String? = nil) throws -> MultiLabelSet {
        let paths = try TextList.imagePaths(imageList)
        let matrix = try GroundTruthMatrix.read(labels)
        guard matrix.rows == paths.count else {
            throw DataError(path: labels, problem: "has \(matrix.rows) rows but \(imageList) lists \(paths.count) images")
        }
        var names = (0..<matrix.columns).map { "label\($0)" }
        if let labelNames {
            names = try TextList.labels(labelNames)
            guard names.count == matrix.columns else {
                throw DataError(path: labelNames, problem: "names \(names.count) labels but \(labels) has \(matrix.columns) columns")
            }
        }
        return MultiLabelSet(imagePaths: paths, labels: matrix, labelNames: names)
    }

    /// Writes the three files (atomically): `<prefix>images.txt`, `<prefix><labelsName>.npy`
    /// (`|i1`, +1 / −1 / 0) and `<prefix><labelsName>.txt` (the names) in `folder`.
    /// - Returns: the paths written.
    @discardableResult
    public func write(to folder: String, imagesName: String, labelsName: String) throws -> [String] {
        let list = folder + "/\(imagesName).txt"
        let npy = folder + "/\(labelsName).npy"
        let names = folder + "/\(labelsName).txt"
        try AtomicFile.write(Data((imagePaths.joined(separator: "\n") + "\n").utf8), to: list)
        let bytes = labels.values.withUnsafeBytes { Data($0) }
        try NpyArray(shape: [labels.rows, labels.columns], dtype: .int8, bytes: bytes).write(to: npy)
        try AtomicFile.write(Data((labelNames.joined(separator: "\n") + "\n").utf8), to: names)
        return [list, npy, names]
    }
}
