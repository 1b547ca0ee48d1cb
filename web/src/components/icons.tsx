import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

const base = {
  width: 20,
  height: 20,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.8,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
  'aria-hidden': true,
} as const;

/** The product's mark: a key in a rounded square. */
export function LogoMark(props: IconProps) {
  return (
    <svg {...base} viewBox="0 0 32 32" width={32} height={32} stroke="none" {...props}>
      <rect width="32" height="32" rx="9" fill="var(--brand)" />
      <circle cx="13" cy="16" r="5" fill="none" stroke="#fff" strokeWidth="2.4" />
      <path d="M18 16h8M23 16v3.5M26 16v2.5" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
    </svg>
  );
}

/** A laptop or desktop browser, in the sessions list. */
export function DesktopIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </svg>
  );
}

/** A phone or tablet browser, in the sessions list. */
export function MobileIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="7" y="2.5" width="10" height="19" rx="2.2" />
      <path d="M11 18.5h2" />
    </svg>
  );
}

/** A program (CLI, server, script), in the sessions list. */
export function TerminalIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="m7 9 3 3-3 3M12.5 15H17" />
    </svg>
  );
}

/** Marks an error message. */
export function AlertIcon(props: IconProps) {
  return (
    <svg {...base} width={18} height={18} {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5M12 16.5v.01" />
    </svg>
  );
}

/** Marks a success message. */
export function CheckIcon(props: IconProps) {
  return (
    <svg {...base} width={18} height={18} {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="m8.5 12.2 2.4 2.4 4.6-4.8" />
    </svg>
  );
}

/** Marks a notice. */
export function InfoIcon(props: IconProps) {
  return (
    <svg {...base} width={18} height={18} {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v5.5M12 7.5v.01" />
    </svg>
  );
}

/** Points into a linked row. */
export function ChevronRightIcon(props: IconProps) {
  return (
    <svg {...base} width={18} height={18} {...props}>
      <path d="m9 6 6 6-6 6" />
    </svg>
  );
}
