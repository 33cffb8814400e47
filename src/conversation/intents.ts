/**
 * What a message to the coach is: one of the common questions the offline coach answers from the
 * engine's numbers (`detectIntent`; the answers are in intent-answers.ts and volume-question.ts),
 * a question rather than a statement, small talk ("help", "thanks", "analyze") for the
 * conversation to act on, or a question off cycling (off-topic). Anything else is said to be
 * beyond the offline coach.
 */
export type Intent = 'form' | 'last-week' | 'bests' | 'ftp' | 'volume' | 'skip' | 'next-workout' | 'zones';

const PATTERNS: [Intent, RegExp][] = [
  // distance, time or ride counts over a period — before "last week", which asks about load
  [
    'volume',
    /\b(km|kms|kilomet(?:er|re)s?|miles?|mi|distance|how\s+far|mileage|how\s+many\s+(?:rides|hours|times|activities|km|kms|kilomet\w*|miles?)|total\s+(?:distance|hours|km|rides|climbing|elevation)|how\s+much\s+(?:climbing|elevation))\b/i,
  ],
  // "should I skip today's workout?", "can I take a rest day instead?" — before the next-workout question it resembles
  [
    'skip',
    /\b(skip|miss|cancel|postpone|bail\s+on)\b.*\b(workout|session|ride|training|intervals?|today|tomorrow|it)\b|\b(rest\s+day\s+instead|take\s+(?:a|the)\s+day\s+off|day\s+off\s+today|too\s+(?:tired|sore)\s+to\s+(?:ride|train))\b/i,
  ],
  [
    'next-workout',
    /\b(tomorrow|tonight|next\s+(workout|ride|session|training)|what\s+(should|shall|do)\s+i\s+(ride|do|train)|today'?s?\s+(workout|session|ride)|on\s+(the|my)\s+plan|ride\s+(today|tomorrow)|plan\s+for\s+(today|tomorrow|this\s+week))\b/i,
  ],
  ['last-week', /\b(last|past)\s+(week|7\s+days)\b|\bthis\s+week\b.*\b(hard|load|much|ride)|\b(too\s+(hard|much|easy)|overtrain|overdo)/i],
  ['zones', /\b(zones?|polari[sz]|intensity\s+(split|distribution|mix)|time\s+in\s+z|how\s+(much|often).*\b(easy|hard)\b|80\/20)/i],
  ['ftp', /\b(ftp|e-?ftp|threshold|critical\s+power|\bcp\b|w\s*prime|w′)\b/i],
  ['bests', /\b(best|pbs?|prs?|personal\s+(best|record)s?|records?|peaks?|max(imum|imal)?\s+power|power\s+curve|sprint|strongest)\b/i],
  ['form', /\b(fit(ness)?|fatigue[d]?|tired|form|fresh|ctl|atl|tsb|rested|recover(ed|y)|ready|shape)\b/i],
];

/**
 * A question rather than a statement: "Is my FTP of 250 too low?" must not set the FTP, and
 * "can I do the Marmotte on 2027-07-04" must not set an event date.
 */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t.includes('?')) return true;
  if (/^(how|what|what's|whats|why|when|which|who|where)\b/.test(t)) return true;
  return /^(is|are|was|were|am|do|does|did|should|shall|can|could|will|would|may|might|have|has|had)\s+(i|my|me|you|it|this|that|these|those|the|last|we|there|a|an)\b/.test(
    t,
  );
}

/** The first common question the text matches, in PATTERNS' order; null for none. */
export function detectIntent(question: string): Intent | null {
  for (const [intent, pattern] of PATTERNS) if (pattern.test(question)) return intent;
  return null;
}

/** What the conversation does with a short message that is not about the athlete's data. */
export type SmallTalk = 'help' | 'thanks' | 'greeting' | 'analyze';

/**
 * "help", "thanks", "hi", "analyze my rides" — typed without a slash. Only short messages that
 * are nothing else: "help me pick a gear ratio?" is a question, not a call for /help.
 */
export function smallTalk(text: string): SmallTalk | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\s!.?,…🙏👍]+$/u, '')
    .replace(/^(?:ok(?:ay)?|hey|so|please)[\s,]+/, '')
    .replace(/[\s,]+(?:please|pls|now|coach|mate)$/, '')
    .trim();
  if (t.length === 0 || t.length > 60) return null;
  if (
    /^(?:help|help me|\?|commands|menu|options|what can you do|what do you do|what can i (?:ask|say|do|send)(?: you)?|how does (?:this|it) work|how do i (?:use|start)(?: this| you)?|instructions)$/.test(
      t,
    )
  )
    return 'help';
  if (
    /^(?:analy[sz]e|analy[sz]e (?:my|the) (?:rides|data|training|activities|season)|(?:run|do|start) (?:an? |the |my )?analys[ie]s)$/.test(
      t,
    )
  )
    return 'analyze';
  if (
    /^(?:(?:great|perfect|cool|nice|awesome|ok|okay|got it|brilliant)[\s,!]+)?(?:thanks?|thank you|thx|ty|cheers|merci|danke|much appreciated)(?:\s+(?:a lot|so much|very much|again|for that|for the help|coach|mate))*$/.test(
      t,
    )
  )
    return 'thanks';
  if (
    /^(?:hi|hello|hey|hiya|yo|howdy|moin|hallo|bonjour|hola|good (?:morning|afternoon|evening))(?:\s+(?:there|coach|domestique|bot))?$/.test(
      t,
    )
  )
    return 'greeting';
  return null;
}

/**
 * Words of cycling, training and the athlete's body and data. A question with none of them is
 * off-topic ("what's the capital of France?"), whatever else it resembles.
 */
const ON_TOPIC_WORDS = [
  'bikes?',
  'cycl\\w*',
  'rides?',
  'riding',
  'rode',
  'ridden',
  'rider',
  'train\\w*',
  'workouts?',
  'sessions?',
  'intervals?',
  'races?',
  'racing',
  'events?',
  'sportives?',
  'fondo',
  'marmotte',
  'etape',
  'power',
  'watts?',
  'ftp',
  'e-?ftp',
  'cp',
  'hr',
  'heart',
  'pulse',
  'bpm',
  'cadence',
  'rpm',
  'saddle',
  'tyres?',
  'tires?',
  'wheels?',
  'gears?',
  'chain',
  'helmet',
  'cleats?',
  'shoes',
  'climb\\w*',
  'hills?',
  'mountains?',
  'cols?',
  'km',
  'kms',
  'kilomet\\w*',
  'miles?',
  'distance',
  'far',
  'speed',
  'pace',
  'zones?',
  'polari[sz]\\w*',
  'intensity',
  'tss',
  'ctl',
  'atl',
  'tsb',
  'fit',
  'fitness',
  'fatigue\\w*',
  'tired',
  'form',
  'fresh',
  'ready',
  'shape',
  'rested',
  'recover\\w*',
  'rest',
  'sleep\\w*',
  'sore',
  'legs?',
  'injur\\w*',
  'knees?',
  'sick',
  'ill',
  'nutrition',
  'eat\\w*',
  'food',
  'fuel\\w*',
  'carbs?',
  'protein',
  'hydrat\\w*',
  'drink\\w*',
  'weight',
  'kg',
  'lose',
  'stretch\\w*',
  'gym',
  'strength',
  'plan\\w*',
  'coach\\w*',
  'skip',
  'strava',
  'zwift',
  'garmin',
  'wahoo',
  'trainer',
  'turbo',
  'indoor',
  'outdoor',
  'pbs?',
  'prs?',
  'best',
  'records?',
  'peaks?',
  'threshold',
  'vo2\\w*',
  'sprint\\w*',
  'endurance',
  'tempo',
  'sweet\\s*spot',
  'taper\\w*',
  'base',
  'build',
  'easy',
  'hard',
  'load',
  'volume',
  'hours',
  'days',
  'week',
  'today',
  'tonight',
  'tomorrow',
  'yesterday',
  'data',
  'profile',
  'reports?',
  'analys[ie]s',
  // every word the intent patterns above listen for, so that none of their questions is taken for off-topic
  'overdo\\w*',
  'overtrain\\w*',
  'too\\s+much',
  'critical',
  'w\\s*prime',
  'strongest',
  'personal',
  'mileage',
  'elevation',
  'day\\s+off',
  'time\\s+in\\s+z\\w*',
  '80/20',
];
const ON_TOPIC = new RegExp(`\\b(?:${ON_TOPIC_WORDS.join('|')})\\b`, 'i');

/** A question about nothing the coach deals with: no word of cycling, training or the athlete's data. */
export function isOffTopic(question: string): boolean {
  return !ON_TOPIC.test(question);
}

const CAN_ANSWER =
  'I can answer questions about your fitness, fatigue and form, last week\'s load against the plan, your best efforts, FTP and eFTP, how far you rode (e.g. "how many km did I ride in August?"), your next workouts, whether to skip today\'s, and your zone split — for example "how fit am I?", "was last week too hard?", "should I skip today\'s workout?".';

/** A cycling question the offline coach has no answer for. Says nothing about configuration: that is for the operator (OPERATOR_HINT). */
export const NEEDS_MODEL = `That one I can't answer from your rides and plan. ${CAN_ANSWER}`;

/** A question that has nothing to do with cycling or training. */
export const OFF_TOPIC = `That's off-topic for me — I'm your cycling coach, and I answer from your rides and your plan. ${CAN_ANSWER}`;

/** For the operator's log (never for the athlete): how open questions get answered. */
export const OPERATOR_HINT =
  "a question outside the offline coach's topics was answered with its list of topics; set LLM_PROVIDER=anthropic (with ANTHROPIC_API_KEY) or LLM_PROVIDER=ollama to answer open questions with a model";
