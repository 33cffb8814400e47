/**
 * Every running bot's chat directory, as one: the conversation uses it to tell the chat that
 * issued a `/link` code that it was used, and to move a dialogue from a server channel to a direct
 * message; `npm start` hands it to the reminder ticker. Bots add themselves when they start.
 */
import type { ChatDirectory, ChatThread } from './port.js';

export class ChatDirectories implements ChatDirectory {
  private readonly directories = new Set<ChatDirectory>();

  /** Adds a bot's directory; returns the function that removes it again (when the bot stops). */
  add(directory: ChatDirectory): () => void {
    this.directories.add(directory);
    return () => {
      this.directories.delete(directory);
    };
  }

  open(identityKey: string): ChatThread | null {
    for (const directory of this.directories) {
      const thread = directory.open(identityKey);
      if (thread) return thread;
    }
    return null;
  }
}
