import Foundation
import MKTData
import MKTFormats
import MKTImage
import Testing
import TestSupport

@Suite("Synthetic world: determinism, labels, captions, files")
struct SyntheticWorldTests {
    func world(seed: UInt64 = 3, _ edit: (inout SyntheticWorldConfiguration) -> Void = { _ in }) throws -> SyntheticWorld {
        var c = SyntheticWorldConfiguration()
        c.seed = seed
        edit(&c)
        return try SyntheticWorld(c)
    }

    @Test("same seed, same scenes and pixels; another seed or split differs")
    func determinism() throws {
        let a = try world(), b = try world(), c = try world(seed: 4)
        for i in 0..<20 {
            #expect(a.scene(.train, i) == b.scene(.train, i))
            #expect(a.render(a.scene(.train, i)) == b.render(b.scene(.train, i)))
            #expect(a.sampledCaption(.teacher, i, pass: 2) == b.sampledCaption(.teacher, i, pass: 2))
        }
        #expect((0..<20).contains { a.scene(.train, $0) != c.scene(.train, $0) })
        #expect((0..<20).contains { a.scene(.train, $0) != a.scene(.test, $0) })
        // Images do not depend on the order they are made in.
        let late = a.render(a.scene(.test, 7))
        _ = a.render(a.scene(.test, 3))
        #expect(a.render(a.scene(.test, 7)) == late)
    }

    @Test("scenes stay within the settings")
    func settings() throws {
        let w = try world { $0.imageSize = 48; $0.minObjects = 2; $0.maxObjects = 2 }
        for i in 0..<50 {
            let s = w.scene(.teacher, i)
            #expect(s.objects.count == 2)
            for o in s.objects { #expect(o.x - o.radius >= 0 && o.x + o.radius <= 48 && o.y - o.radius >= 0 && o.y + o.radius <= 48) }
            let image = w.render(s)
            #expect(image.width == 48 && image.height == 48)
        }
        #expect(throws: SyntheticWorldError.self) { try world { $0.minObjects = 0 } }
        #expect(throws: SyntheticWorldError.self) { try world { $0.tagDropRate = 1.5 } }
        #expect(throws: SyntheticWorldError.self) { try world { $0.imageSize = 8 } }
        #expect(throws: SyntheticWorldError.self) { try world { $0.minRadius = 9; $0.maxRadius = 4 } }
        #expect(throws: SyntheticWorldError.self) { try world { $0.maxRadius = .nan } }
        // Radii follow the setting (in 64-pixel units, scaled to the image).
        let small = try world { $0.imageSize = 128; $0.minRadius = 3; $0.maxRadius = 5; $0.minObjects = 5; $0.maxObjects = 5 }
        for i in 0..<30 {
            for o in small.scene(.test, i).objects { #expect(o.radius >= 6 && o.radius <= 10, "radius \(o.radius)") }
        }
    }

    @Test("labels follow the objects; test labels are clean, training tags noisy at about the set rates")
    func labels() throws {
        let w = try world { $0.tagDropRate = 0.2; $0.spuriousTagRate = 0.05 }
        var dropped = 0, present = 0, added = 0, absent = 0
        for i in 0..<400 {
            let s = w.scene(.train, i)
            let seen = SyntheticWorld.seenTruth(s), unseen = SyntheticWorld.unseenTruth(s)
            #expect(seen.count == SyntheticWorld.seenLabels.count && unseen.count == SyntheticWorld.unseenLabels.count)
            for (j, name) in SyntheticWorld.seenLabels.enumerated() {
                let truth = s.objects.contains { $0.shape.word == name || $0.texture.word == name || $0.color.word == name }
                    || s.background.word == name
                #expect((seen[j] > 0) == truth, "\(name) in scene \(i)")
            }
            for (j, name) in SyntheticWorld.unseenLabels.enumerated() {
                #expect((unseen[j] > 0) == s.objects.contains { $0.color.word == name })
            }
            #expect(seen.filter { $0 > 0 }.count >= 2, "a shape and a background at least")
            let test = w.sample(.test, i)
            #expect(test.seenLabels == SyntheticWorld.seenTruth(test.scene))
            let train = w.sample(.train, i)
            #expect(train.unseenLabels == unseen)
            // Attributes: every colour in the fixed order (shapes, backgrounds, textures, colours).
            for (j, name) in SyntheticWorld.attributeLabels.enumerated() {
                let truth = s.objects.contains { $0.shape.word == name || $0.texture.word == name || $0.color.word == name }
                    || s.background.word == name
                #expect((train.attributes[j] > 0) == truth, "attribute \(name) in scene \(i)")
            }
            for (t, a) in zip(seen, train.seenLabels) {
                if t > 0 { present += 1; if a < 0 { dropped += 1 } } else { absent += 1; if a > 0 { added += 1 } }
            }
        }
        let dropRate = Double(dropped) / Double(present), addRate = Double(added) / Double(absent)
        #expect(abs(dropRate - 0.2) < 0.04, "drop rate \(dropRate)")
        #expect(abs(addRate - 0.05) < 0.015, "spurious rate \(addRate)")
        #expect(SyntheticWorld.gzslLabels == SyntheticWorld.seenLabels + SyntheticWorld.unseenLabels)
        #expect(Set(SyntheticWorld.seenLabels).isDisjoint(with: SyntheticWorld.unseenLabels))
        // Seen and unseen labels of the same kind: colours on both sides, every colour once.
        #expect(SyntheticWorld.unseenLabels == ["orange", "yellow", "purple", "pink"])
        #expect(Set(SyntheticWorld.seenColors + SyntheticWorld.unseenColors) == Set(WorldColor.allCases))
        #expect(Set(SyntheticWorld.attributeLabels) == Set(SyntheticWorld.gzslLabels) && SyntheticWorld.attributeLabels.count == 22)
    }

    @Test("captions name exactly the true attributes; sampled captions only omit")
    func captions() throws {
        let w = try world()
        let vocabulary = Set(SyntheticWorld.gzslLabels + SyntheticWorld.fillerWords)
        func words(_ text: String) -> Set<String> {
            Set(text.replacingOccurrences(of: ",", with: "").split(separator: " ").map(String.init))
        }
        for i in 0..<200 {
            let sample = w.sample(.test, i)
            let canonical = words(sample.caption)
            #expect(canonical.isSubset(of: vocabulary), "\(sample.caption)")
            for (name, value) in zip(SyntheticWorld.gzslLabels, sample.seenLabels + sample.unseenLabels) {
                #expect(canonical.contains(name) == (value > 0), "\(name) vs \"\(sample.caption)\"")
            }
            for pass in 0..<3 {
                let text = w.sampledCaption(.test, i, pass: pass)
                let sampled = words(text)
                #expect(sampled.isSubset(of: canonical.union(SyntheticWorld.fillerWords)), "\(text)")
                #expect(sampled.contains { WorldShape(rawValue: $0) != nil }, "a shape is always named: \(text)")
            }
        }
        let s = WorldScene(background: .sand, objects: [
            WorldObject(shape: .star, color: .red, texture: .striped, size: .small, x: 10, y: 10, radius: 7, rotation: 0, rgb: [215, 35, 35]),
            WorldObject(shape: .circle, color: .blue, texture: .plain, size: .medium, x: 30, y: 30, radius: 9, rotation: 0, rgb: [35, 70, 225]),
        ], noiseSeed: 1)
        #expect(s.caption == "a small striped red star and a blue circle on sand")
    }

    @Test("an object's colour dominates its pixels; backgrounds look like themselves")
    func colorsAreVisible() throws {
        let w = try world()
        let scene = WorldScene(background: .grass, objects: [
            WorldObject(shape: .square, color: .red, texture: .plain, size: .large, x: 32, y: 32, radius: 12, rotation: 0, rgb: [215, 35, 35]),
        ], noiseSeed: 5)
        let image = w.render(scene)
        let centre = image[32, 32]
        #expect(abs(Int(centre.red) - 215) <= 6 && abs(Int(centre.green) - 35) <= 6 && abs(Int(centre.blue) - 35) <= 6)
        let corner = image[1, 1]
        #expect(corner.green > corner.red && corner.green > corner.blue, "grass is green")
    }

    @Test("written data set: layout, shapes, the same bytes twice, nothing left on failure")
    func writesToDisk() throws {
        let w = try world()
        let root = Fixtures.temporaryDirectory("world")
        let summary = try w.write(to: root + "/a", trainImages: 12, testImages: 6)
        try w.write(to: root + "/b", trainImages: 12, testImages: 6)
        #expect(summary.trainImages == 12 && summary.testImages == 6 && summary.unseenPositiveRate.count == 4)
        let fm = FileManager.default
        let files = try fm.subpathsOfDirectory(atPath: root + "/a").sorted()
        #expect(files == (try fm.subpathsOfDirectory(atPath: root + "/b").sorted()))
        #expect(files.contains("test/images/000005.png") && files.contains("world.json"))
        for file in files where file.contains(".") {
            #expect(fm.contents(atPath: root + "/a/" + file) == fm.contents(atPath: root + "/b/" + file), "\(file)")
        }
        #expect(try TextList.labels(root + "/a/seen.txt") == SyntheticWorld.seenLabels)
        #expect(try TextList.labels(root + "/a/unseen.txt") == SyntheticWorld.unseenLabels)
        #expect(try TextList.labels(root + "/a/gzsl.txt") == SyntheticWorld.gzslLabels)
        let paths = try TextList.imagePaths(root + "/a/test/images.txt")
        #expect(paths.count == 6)
        let decoded = try ImageDecoder().decode(contentsOf: paths[2])
        #expect(decoded == w.render(w.scene(.test, 2)), "PNG keeps the generated pixels")
        let gzsl = try NpyArray.read(root + "/a/train/labels-gzsl.npy")
        #expect(gzsl.shape == [12, 22])
        #expect(gzsl.floats() == (0..<12).flatMap { w.sample(.train, $0).gzslLabels })
        #expect((try NpyArray.read(root + "/a/train/labels-seen.npy")).shape == [12, 18])
        #expect((try NpyArray.read(root + "/a/test/labels-unseen.npy")).shape == [6, 4])
        #expect((try TextList.lines(root + "/a/train/captions.txt")) == (0..<12).map { w.sample(.train, $0).caption })
        #expect(throws: SyntheticWorldError.self) { try w.write(to: root + "/a", trainImages: 2, testImages: 2) }
        #expect(throws: SyntheticWorldError.self) { try w.write(to: root + "/c", trainImages: 0, testImages: 2) }
        let leftovers = try fm.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }
}
