declare module 'hbs' {
  const hbs: {
    registerPartials(dir: string, done?: () => void): void;
    registerHelper(name: string, fn: (...args: any[]) => unknown): void;
  };
  export default hbs;
}
