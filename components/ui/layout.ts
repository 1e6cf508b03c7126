/**
 * Page widths. The header and <main> use CONTAINER (up to 1536 px, so data tables use a wide screen); a page
 * whose content is a form or prose narrows itself with FORM_WIDTH / PROSE_WIDTH inside it.
 */
export const CONTAINER = "mx-auto w-full max-w-screen-2xl px-4 sm:px-6";
export const FORM_WIDTH = "max-w-2xl";
export const PROSE_WIDTH = "max-w-4xl";
