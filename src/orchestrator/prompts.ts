/**
 * The phases' words, loaded from `prompts/` (or an override folder) at start. Athlete-provided
 * text never goes into a prompt file: it reaches the model only inside `fenceData`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectPath } from '../project-root.js';

export const DEFAULT_PROMPTS_DIR = projectPath('prompts');

export const PROMPT_FILES = ['data-preparation', 'performance-analysis', 'training-planning', 'report-generation', 'ask-coach'] as const;
export type PromptName = (typeof PROMPT_FILES)[number];

export interface Prompts {
  dir: string;
  text: Record<PromptName, string>;
  /** `## name` sections of report-generation.md. */
  report: Record<string, string>;
}

export class PromptsError extends Error {
  override name = 'PromptsError';
}

export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): Prompts {
  const text = {} as Record<PromptName, string>;
  for (const name of PROMPT_FILES) {
    const path = join(dir, `${name}.md`);
    try {
      text[name] = readFileSync(path, 'utf8');
    } catch {
      throw new PromptsError(
        `The prompts folder ${dir} has no ${name}.md. It needs all of: ${PROMPT_FILES.map((n) => `${n}.md`).join(', ')} (copy them from prompts/).`,
      );
    }
  }
  const report: Record<string, string> = {};
  for (const section of text['report-generation'].split(/^## /m).slice(1)) {
    const newline = section.indexOf('\n');
    report[section.slice(0, newline).trim()] = section.slice(newline + 1).trim();
  }
  return { dir: resolve(dir), text, report };
}

/** The system prompt of a model phase: the shared data contract, then the phase's own words. */
export function systemPrompt(prompts: Prompts, phase: 'performance-analysis' | 'training-planning' | 'ask-coach'): string {
  return `${prompts.text['data-preparation'].trim()}\n\n${prompts.text[phase].trim()}`;
}

/** Fills `{{name}}` placeholders; values are plain text (the renderer escapes them). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}
