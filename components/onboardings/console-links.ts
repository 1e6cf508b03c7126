/** Console addresses live in lib/resources/console-url.ts (lib/ never imports components/); re-exported for the views. */
export { consoleUrlForArn, logStreamConsoleUrl, parseArn, pipelineConsoleUrl } from "@/lib/resources/console-url";
export { formatDuration } from "@/lib/format/duration";
