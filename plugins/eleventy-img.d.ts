// @11ty/eleventy-img ships no type declarations; this covers the calls midad makes.
declare module "@11ty/eleventy-img" {
  export default function Image(src: string, options: Record<string, unknown>): Promise<Record<string, unknown[]>>;
  export function generateHTML(
    metadata: Record<string, unknown[]>,
    attributes: Record<string, string | undefined>,
  ): string;
}
