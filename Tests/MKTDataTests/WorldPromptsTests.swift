import MKTData
import Testing

@Suite("World prompts")
struct WorldPromptsTests {
    @Test("world prompts use the captions' words")
    func prompts() {
        #expect(WorldPrompts.prompts(for: "red").first == "a red circle")
        #expect(WorldPrompts.prompts(for: "red").count == 8)
        #expect(WorldPrompts.prompts(for: "star").contains("a blue star"))
        #expect(WorldPrompts.prompts(for: "sand").first == "a circle on sand")
        #expect(WorldPrompts.prompts(for: "striped").first == "a striped red circle")
    }
}
