import Foundation

/// What a NUS-WIDE folder holds and whether it is complete: counts, label statistics, and the
/// images that are missing or are Flickr placeholders.
///
/// Missing and placeholder images are listed, not fatal; ask ``NUSWide/integrityReport(checkImages:placeholderBytes:)``
/// and then check ``missingImages`` to make them so. On the full dataset the test set has about
/// 1.876 unseen (ZSL) and 6.80 GZSL positives per image, a quick check of the label pipeline.
public struct NUSWideIntegrityReport: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The dataset root.
    public var root: String
    /// Images in `Imagelist.txt`.
    public var listedImages: Int
    /// Training and test images.
    public var trainImages: Int, testImages: Int
    /// Images in both splits.
    public var imagesInBothSplits: Int
    /// Tags, concepts, seen, unseen and GZSL labels.
    public var tags: Int, concepts: Int, seenLabels: Int, unseenLabels: Int, gzslLabels: Int
    /// Concepts that are also tags (they are unseen, not seen).
    public var conceptsThatAreTags: [String]
    /// Concepts that are not tags.
    public var conceptsThatAreNotTags: [String]
    /// Mean positives per test image over the unseen (ZSL) and GZSL labels.
    public var zslPositivesPerTestImage: Double, gzslPositivesPerTestImage: Double
    /// Mean positives per training image over the seen labels.
    public var seenPositivesPerTrainImage: Double
    /// Test images without any unseen positive (kept in evaluation).
    public var testImagesWithoutUnseenPositive: Int
    /// Training images without any seen positive (dropped per batch in training).
    public var trainImagesWithoutSeenPositive: Int
    /// Unseen and seen labels without a positive test image (AP 0 in evaluation).
    public var unseenLabelsWithoutTestPositive: [String], seenLabelsWithoutTestPositive: [String]
    /// Whether image files were checked.
    public var imagesChecked: Bool
    /// Split images whose file does not exist (paths relative to the root).
    public var missingImages: [String]
    /// Split images whose file is at most the placeholder size (Flickr's "photo unavailable").
    public var placeholderImages: [String]
    /// The placeholder size limit used, in bytes.
    public var placeholderBytes: Int

    /// A readable multi-line summary (at most 10 missing and placeholder paths each are shown).
    public var description: String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        func names(_ list: [String], _ limit: Int = 10) -> String {
            list.isEmpty ? "none" : list.prefix(limit).joined(separator: ", ") + (list.count > limit ? ", ... (\(list.count) in all)" : "")
        }
        var lines = [
            "NUS-WIDE at \(root)",
            "  images listed           \(listedImages)",
            "  train / test            \(trainImages) / \(testImages) (in both: \(imagesInBothSplits))",
            "  tags / concepts         \(tags) / \(concepts)",
            "  seen labels             \(seenLabels) (tags that are not concepts, tag order)",
            "  unseen labels           \(unseenLabels) (concepts, concept order)",
            "  GZSL labels             \(gzslLabels) (seen first)",
            "  concepts that are tags  \(conceptsThatAreTags.count); not tags: \(names(conceptsThatAreNotTags))",
            "  positives per test image: ZSL \(f(zslPositivesPerTestImage)), GZSL \(f(gzslPositivesPerTestImage)); per train image (seen) \(f(seenPositivesPerTrainImage))",
            "  test images without an unseen positive   \(testImagesWithoutUnseenPositive)",
            "  train images without a seen positive     \(trainImagesWithoutSeenPositive)",
            "  unseen labels without a test positive    \(unseenLabelsWithoutTestPositive.count): \(names(unseenLabelsWithoutTestPositive))",
            "  seen labels without a test positive      \(seenLabelsWithoutTestPositive.count)",
        ]
        if imagesChecked {
            lines.append("  missing images          \(missingImages.count): \(names(missingImages))")
            lines.append("  placeholder images      \(placeholderImages.count) (<= \(placeholderBytes) bytes): \(names(placeholderImages))")
        } else {
            lines.append("  image files             not checked")
        }
        return lines.joined(separator: "\n")
    }
}

extension NUSWide {
    /// Counts, label statistics and (optionally) a check of every split image's file.
    /// - Parameters:
    ///   - checkImages: look at each training and test image file (one `stat` each).
    ///   - placeholderBytes: files of at most this size count as Flickr placeholders (LESA's
    ///     rule: 4000 bytes).
    public func integrityReport(checkImages: Bool = true, placeholderBytes: Int = 4000) -> NUSWideIntegrityReport {
        let s = seenLabels.count, u = concepts.count
        func positives(_ truth: [Int8], _ width: Int, _ row: Int) -> Int {
            var p = 0
            for v in truth[(row * width)..<(row * width + width)] where v > 0 { p += 1 }
            return p
        }
        var zsl = 0, gzsl = 0, testNoUnseen = 0
        var unseenHit = [Bool](repeating: false, count: u), seenHit = [Bool](repeating: false, count: s)
        for row in testRows {
            let pu = positives(unseenTruth, u, row), ps = positives(seenTruth, s, row)
            zsl += pu
            gzsl += pu + ps
            if pu == 0 { testNoUnseen += 1 }
            for c in 0..<u where unseenTruth[row * u + c] > 0 { unseenHit[c] = true }
            for c in 0..<s where seenTruth[row * s + c] > 0 { seenHit[c] = true }
        }
        var seenTrain = 0, trainNoSeen = 0
        for row in trainRows {
            let p = positives(seenTruth, s, row)
            seenTrain += p
            if p == 0 { trainNoSeen += 1 }
        }
        let tagSet = Set(tags.map { $0.lowercased() })
        var missing: [String] = [], placeholders: [String] = []
        if checkImages {
            var seenRows = Set<Int>()
            for row in trainRows + testRows where seenRows.insert(row).inserted {
                let path = imagePath(row: row)
                let relative = "Flickr/" + imageEntries[row]
                if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                   let size = attributes[.size] as? Int {
                    if size <= placeholderBytes { placeholders.append(relative) }
                } else {
                    missing.append(relative)
                }
            }
        }
        let both = Set(trainRows).intersection(testRows).count
        return NUSWideIntegrityReport(
            root: layout.root, listedImages: imageEntries.count, trainImages: trainRows.count,
            testImages: testRows.count, imagesInBothSplits: both, tags: tags.count, concepts: u,
            seenLabels: s, unseenLabels: u, gzslLabels: s + u,
            conceptsThatAreTags: concepts.filter { tagSet.contains($0.lowercased()) },
            conceptsThatAreNotTags: concepts.filter { !tagSet.contains($0.lowercased()) },
            zslPositivesPerTestImage: Double(zsl) / Double(max(testRows.count, 1)),
            gzslPositivesPerTestImage: Double(gzsl) / Double(max(testRows.count, 1)),
            seenPositivesPerTrainImage: Double(seenTrain) / Double(max(trainRows.count, 1)),
            testImagesWithoutUnseenPositive: testNoUnseen, trainImagesWithoutSeenPositive: trainNoSeen,
            unseenLabelsWithoutTestPositive: concepts.indices.filter { !unseenHit[$0] }.map { concepts[$0] },
            seenLabelsWithoutTestPositive: seenLabels.indices.filter { !seenHit[$0] }.map { seenLabels[$0] },
            imagesChecked: checkImages, missingImages: missing, placeholderImages: placeholders,
            placeholderBytes: placeholderBytes)
    }
}
