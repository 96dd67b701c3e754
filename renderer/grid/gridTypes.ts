export interface ErrorMeaningInfo {
  code: number;
  meaning: string;
  category: string;
  known: boolean;
}

export interface TagInfo {
  tagId: number;
  name: string;
  color: string;
  rows: number;
}
