import MKTData
import Testing

@Suite("The synthetic video world")
struct SyntheticVideoWorldTests {
    static func videos(frames: Int = 6) throws -> SyntheticVideoWorld {
        var c = SyntheticWorldConfiguration()
        c.seed = 3
        return try SyntheticVideoWorld(SyntheticWorld(c), frames: frames)
    }

    @Test("clips are balanced over the motions, reproducible, and do what their class says")
    func motions() throws {
        let videos = try Self.videos()
        #expect(videos.classNames.count == 9 && videos.classNames[0] == "moving left")
        for index in 0..<27 {
            let clip = videos.clip(.train, index)
            #expect(clip.label == index % 9 && clip.motion == videos.motions[clip.label])
            #expect(clip.scenes.count == 6 && clip == videos.clip(.train, index))
            #expect(clip.caption.contains(clip.motion.phrase))
            let o = clip.scenes.map { $0.objects[0] }
            let size = Double(videos.world.configuration.imageSize)
            #expect(o.allSatisfy { $0.x - $0.radius >= 0 && $0.x + $0.radius <= size && $0.y - $0.radius >= 0 && $0.y + $0.radius <= size })
            func increasing(_ v: [Double]) -> Bool { zip(v, v.dropFirst()).allSatisfy { $0 < $1 } }
            func decreasing(_ v: [Double]) -> Bool { zip(v, v.dropFirst()).allSatisfy { $0 > $1 } }
            switch clip.motion {
            case .movingLeft: #expect(decreasing(o.map(\.x)))
            case .movingRight: #expect(increasing(o.map(\.x)))
            case .movingUp: #expect(decreasing(o.map(\.y)))
            case .movingDown: #expect(increasing(o.map(\.y)))
            case .rotatingClockwise: #expect(increasing(o.map(\.rotation)) && o[0].shape != .circle && o[0].shape != .ring)
            case .rotatingCounterclockwise: #expect(decreasing(o.map(\.rotation)))
            case .growing: #expect(increasing(o.map(\.radius)))
            case .shrinking: #expect(decreasing(o.map(\.radius)))
            case .blinking: #expect(Set(o.map { $0.radius < 1 }).count == 2)
            }
        }
        #expect(videos.clip(.train, 4) != videos.clip(.test, 4))
    }

    @Test("frames render at the world's size; captions always name the motion and shape")
    func framesAndCaptions() throws {
        let videos = try Self.videos(frames: 3)
        let frames = videos.render(videos.clip(.teacher, 5))
        #expect(frames.count == 3 && frames.allSatisfy { $0.width == 64 && $0.height == 64 })
        #expect(frames[0].pixels != frames[2].pixels)
        #expect(videos.pixels(.teacher, indices: [5, 6]).shape == [6, 3, 64, 64])
        for pass in 0..<5 {
            let caption = videos.sampledCaption(.teacher, 5, pass: pass)
            let clip = videos.clip(.teacher, 5)
            #expect(caption.contains(clip.motion.phrase) && caption.contains(clip.scenes[0].objects[0].shape.word))
        }
        #expect(throws: SyntheticWorldError.self) { try Self.videos(frames: 1) }
    }
}
