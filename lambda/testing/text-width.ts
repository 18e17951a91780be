// How wide a text is drawn, so a timeline can be laid out without labels running into each other. The widths are
// DejaVu Sans's (what Linux falls back to), which is wider than Helvetica, Arial, Segoe UI and San Francisco, so a
// box measured here holds the text in any of the fonts the pictures ask for.

/** Advance widths of the printable ASCII characters (space to `~`) in thousandths of an em: DejaVu Sans. */
const SANS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
/** The same for DejaVu Sans Bold. */
const SANS_BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** Monospaced fonts (DejaVu Sans Mono, Menlo, SF Mono, Consolas, Courier) advance 0.55 to 0.602 em a character. */
const MONO = 602;
/** Outside ASCII (✓, ×, …, accents, CJK): a full em, which no common glyph exceeds by much. */
const OTHER = 1000;

/** A font a timeline draws with. */
export interface TextStyle {
  /** Font size in pixels. */
  readonly size: number;
  readonly bold?: boolean;
  readonly mono?: boolean;
}

/** The width in pixels `text` takes in `style`, estimated on the wide side. */
export function textWidth(text: string, style: TextStyle): number {
  let thousandths = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (style.mono) thousandths += MONO;
    else if (code >= 32 && code <= 126) thousandths += (style.bold ? SANS_BOLD : SANS)[code - 32];
    else thousandths += OTHER;
  }
  return (thousandths * style.size) / 1000;
}

/** `text`, shortened with `…` where needed to fit `width` pixels in `style`. */
export function fitText(text: string, width: number, style: TextStyle): string {
  // A hair of slack: a width computed as (left + w) - left may come out a rounding error under w.
  const room = width + 1e-6;
  if (textWidth(text, style) <= room) return text;
  const chars = [...text];
  // The longest prefix that fits with the ellipsis, found by halving.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (textWidth(`${chars.slice(0, middle).join('')}…`, style) <= room) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '' : `${chars.slice(0, low).join('').trimEnd()}…`;
}
