import Foundation

/// Where the files of a raw NUS-WIDE download sit under its root folder.
///
/// The official archives unpack to (first candidate of each; a flat copy next to the root also
/// works):
///
/// ```text
/// ROOT/ImageList/Imagelist.txt          every image, `<folder>\<idx>_<flickrid>.jpg`
/// ROOT/ImageList/TrainImagelist.txt     the official training split (same entry format)
/// ROOT/ImageList/TestImagelist.txt      the official test split
/// ROOT/NUS_WID_Tags/TagList1k.txt       the user-tag vocabulary, one tag per line
/// ROOT/NUS_WID_Tags/AllTags1k.txt       one row of 0/1 per image (Imagelist order), one column per tag
/// ROOT/ConceptsList/Concepts81.txt      the human-annotated concepts, one per line
/// ROOT/Groundtruth/AllLabels/Labels_<concept>.txt   one 0/1 per image (Imagelist order)
/// ROOT/Flickr/<folder>/<file>           the images
/// ```
public struct NUSWideLayout: Sendable, Equatable {
    /// The dataset root.
    public let root: String
    /// `Imagelist.txt`.
    public let imageList: String
    /// `TrainImagelist.txt`.
    public let trainList: String
    /// `TestImagelist.txt`.
    public let testList: String
    /// `TagList1k.txt`.
    public let tagList: String
    /// `AllTags1k.txt`.
    public let allTags: String
    /// `Concepts81.txt`.
    public let concepts: String
    /// The folder of `Labels_<concept>.txt`.
    public let labelsFolder: String
    /// The image folder (`Flickr`).
    public let imagesFolder: String

    /// The candidate locations of each file, relative to the root, in search order.
    static let candidates: [(key: String, paths: [String])] = [
        ("imageList", ["ImageList/Imagelist.txt", "Imagelist.txt"]),
        ("trainList", ["ImageList/TrainImagelist.txt", "TrainImagelist.txt"]),
        ("testList", ["ImageList/TestImagelist.txt", "TestImagelist.txt"]),
        ("tagList", ["NUS_WID_Tags/TagList1k.txt", "TagList1k.txt"]),
        ("allTags", ["NUS_WID_Tags/AllTags1k.txt", "AllTags1k.txt"]),
        ("concepts", ["ConceptsList/Concepts81.txt", "Concepts81.txt", "NUS_WID_Tags/Concepts81.txt"]),
        ("labelsFolder", ["Groundtruth/AllLabels", "AllLabels"]),
    ]

    /// Finds the files under `root`.
    /// - Throws: ``DataError`` naming the root and the expected path of the first missing file.
    public static func locate(root: String) throws -> NUSWideLayout {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataError(path: root, problem: "no such folder (expected the NUS-WIDE root)")
        }
        var found = [String: String]()
        for (key, paths) in candidates {
            let hit = paths.first { FileManager.default.fileExists(atPath: root + "/" + $0) }
            guard let hit else {
                throw DataError(path: root, problem: "missing \(paths[0]) (NUS-WIDE layout; see Datasets/README.md)")
            }
            found[key] = root + "/" + hit
        }
        return NUSWideLayout(
            root: root, imageList: found["imageList"]!, trainList: found["trainList"]!,
            testList: found["testList"]!, tagList: found["tagList"]!, allTags: found["allTags"]!,
            concepts: found["concepts"]!, labelsFolder: found["labelsFolder"]!,
            imagesFolder: root + "/Flickr")
    }

    /// The ground-truth file of one concept.
    public func labelFile(concept: String) -> String { labelsFolder + "/Labels_\(concept).txt" }

    /// The absolute path of an image list entry (`\` separators become `/`).
    public func imagePath(entry: String) -> String { imagesFolder + "/" + entry }
}
