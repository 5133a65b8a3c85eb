// The seven levels as the badge and popup show them: a glyph of the widget's shape plus its colour.

export const LEVELS = {
  very_negative: { glyph: "⬣", colour: "#b35806", text: "#ffffff", name: "very negative" },
  negative: { glyph: "▼", colour: "#e08214", text: "#000000", name: "negative" },
  slightly_negative: { glyph: "■", colour: "#fdb863", text: "#000000", name: "slightly negative" },
  neutral: { glyph: "●", colour: "#d9d9d9", text: "#000000", name: "neutral" },
  slightly_positive: { glyph: "◆", colour: "#b2abd2", text: "#000000", name: "slightly positive" },
  positive: { glyph: "▲", colour: "#8073ac", text: "#ffffff", name: "positive" },
  very_positive: { glyph: "★", colour: "#542788", text: "#ffffff", name: "very positive" },
};

// States that are not a level: outline-style text on dark grey, never a level colour.
export const STATES = {
  down: { glyph: "off", colour: "#303030", text: "#ffffff", name: "Moodline daemon is not running" },
  starting: { glyph: "…", colour: "#303030", text: "#ffffff", name: "Moodline daemon is starting" },
  unpaired: { glyph: "pair", colour: "#303030", text: "#ffffff", name: "Not paired: open the popup" },
  paused: { glyph: "II", colour: "#303030", text: "#ffffff", name: "Paused: nothing is read" },
  uncertain: { glyph: "?", colour: "#ffffff", text: "#000000", name: "can't tell yet" },
  reading: { glyph: "!", colour: "#303030", text: "#ffffff", name: "Reading this site looks broken" },
  idle: { glyph: "", colour: "#303030", text: "#ffffff", name: "Moodline" },
};
