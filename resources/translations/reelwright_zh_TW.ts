<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW" sourcelanguage="en">
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="+128"/>
        <source>Play Narration</source>
        <translation>播放旁白</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Scene {0}</source>
        <translation>場景 {0}</translation>
    </message>
</context>
<context>
    <name>KeyRow</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="+136"/>
        <source>Checking…</source>
        <translation>檢查中…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paste a new key here</source>
        <translation>在此貼上新的金鑰</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save</source>
        <translation>儲存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test</source>
        <translation>測試</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not set.</source>
        <translation>尚未設定。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set, and kept in the system keyring.</source>
        <translation>已設定，保存在系統的金鑰圈中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set by the environment variable {0}.</source>
        <translation>由環境變數 {0} 設定。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Paste the key into the field first.</source>
        <translation>請先將金鑰貼到欄位中。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved.</source>
        <translation>已儲存。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Removed from the keyring.</source>
        <translation>已從金鑰圈移除。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Testing…</source>
        <translation>測試中…</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <location filename="../../desktop/ui/log_view.py" line="+90"/>
        <source>Reelwright Log</source>
        <translation>Reelwright 記錄</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Copy for Support</source>
        <translation>複製給技術支援</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the log with details of this computer, to paste in a report.</source>
        <translation>複製記錄及這台電腦的詳細資訊，以便貼到問題回報中。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open Log Folder</source>
        <translation>開啟記錄資料夾</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Showing {0}</source>
        <translation>正在顯示 {0}</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Copied. Paste it into your message to support.</source>
        <translation>已複製。請貼到您寫給技術支援的訊息中。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="+106"/>
        <source>Script</source>
        <translation>腳本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>預覽</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Projects</source>
        <translation>專案</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Progress</source>
        <translation>進度</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Project from Files…</source>
        <translation>從檔案新增專案(&amp;N)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Paste Text as New Project</source>
        <translation>貼上文字作為新專案</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open &amp;Output Folder</source>
        <translation>開啟輸出資料夾(&amp;O)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Project</source>
        <translation>專案(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Generate Video</source>
        <translation>產生影片(&amp;G)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel All Work</source>
        <translation>取消所有工作(&amp;C)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Edit</source>
        <translation>編輯(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Task Monitor</source>
        <translation>工作監控(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Log</source>
        <translation>記錄(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Import content</source>
        <translation>匯入內容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Content ({0})</source>
        <translation>內容 ({0})</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reelwright cannot use these files: {0}. It reads text, Markdown, Word, PDF, web pages and subtitles.</source>
        <translation>Reelwright 無法使用這些檔案：{0}。它可以讀取純文字、Markdown、Word、PDF、網頁和字幕檔。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Drop pictures on a scene in the script to use them for that scene.</source>
        <translation>把圖片拖放到腳本中的場景上，就會用在那個場景。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Making your video. You can edit the script while the voice and pictures are made.</source>
        <translation>正在製作您的影片。製作語音和圖片的同時，您可以編輯腳本。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="+174"/>
        <source>{0} video(s) are still being made.</source>
        <translation>還有 {0} 支影片正在製作中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wait lets the running steps finish first. Pause stops now; the work continues the next time you open Reelwright. Cancel stops it for good (you can retry later).</source>
        <translation>「等待」會先讓進行中的步驟完成。「暫停」會立即停止，下次開啟 Reelwright 時繼續。「取消」會終止工作（之後仍可重試）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wait and Quit</source>
        <translation>等待後結束</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pause and Quit</source>
        <translation>暫停並結束</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel Work and Quit</source>
        <translation>取消工作並結束</translation>
    </message>
</context>
<context>
    <name>MediaView</name>
    <message>
        <location filename="../../desktop/ui/media.py" line="+169"/>
        <source>{0} could not be played: {1}</source>
        <translation>無法播放 {0}：{1}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
</context>
<context>
    <name>MonitorWindow</name>
    <message>
        <location filename="../../desktop/ui/monitor_window.py" line="+50"/>
        <source>Task Monitor</source>
        <translation>工作監控</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Worker</source>
        <translation>工作程序</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Process</source>
        <translation>處理程序</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Doing</source>
        <translation>正在處理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Seen</source>
        <translation>上次回報</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Project</source>
        <translation>專案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stage</source>
        <translation>階段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempt</source>
        <translation>嘗試次數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>進度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message or error</source>
        <translation>訊息或錯誤</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Workers</source>
        <translation>工作程序</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Running ({0})</source>
        <translation>執行中（{0}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrying ({0})</source>
        <translation>重試中（{0}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed ({0})</source>
        <translation>失敗（{0}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finished ({0})</source>
        <translation>已完成（{0}）</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>The task list cannot be read right now: {0}. What is shown may be out of date.</source>
        <translation>目前無法讀取工作清單：{0}。顯示的內容可能不是最新的。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Queued: {0}    Waiting to retry: {1}    Dead: {2}</source>
        <translation>排隊中：{0}    等待重試：{1}    已放棄：{2}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Idle</source>
        <translation>閒置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} s ago</source>
        <translation>{0} 秒前</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{0}, project #{1}</source>
        <translation>{0}，專案 #{1}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0}, part {1}, project #{2}</source>
        <translation>{0}，第 {1} 部分，專案 #{2}</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Retry</source>
        <translation>重試</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Terminate</source>
        <translation>終止</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../desktop/notify.py" line="+56"/>
        <source>Your video is ready</source>
        <translation>您的影片完成了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{0}” has finished rendering.</source>
        <translation>「{0}」已渲染完成。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Making a video failed</source>
        <translation>影片製作失敗</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{0}” stopped with an error. Open it to see what went wrong and retry.</source>
        <translation>「{0}」因錯誤而停止。請開啟專案查看問題所在，然後重試。</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="+27"/>
        <source>Play the Video</source>
        <translation>播放影片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play Narration</source>
        <translation>播放旁白</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Output Folder</source>
        <translation>開啟輸出資料夾</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pictures appear here as they are made.</source>
        <translation>圖片做好後會陸續顯示在這裡。</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Scene {0}</source>
        <translation>場景 {0}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>The picture of scene {0} could not be read.</source>
        <translation>無法讀取場景 {0} 的圖片。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Narration of scene {0}</source>
        <translation>場景 {0} 的旁白</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The finished video</source>
        <translation>完成的影片</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{0} cannot be used as music. Use an MP3, WAV or M4A file with sound.</source>
        <translation>{0} 無法當作背景音樂。請使用有聲音的 MP3、WAV 或 M4A 檔。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} is now the music. The next render uses it.</source>
        <translation>背景音樂已換成 {0}，下次渲染時會使用。</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../../desktop/ui/progress_text.py" line="+25"/>
        <source>Started</source>
        <translation>已開始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the script</source>
        <translation>正在撰寫腳本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} scenes</source>
        <translation>{0} 個場景</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voicing scene {0} of {1}</source>
        <translation>正在配音：第 {0} 個場景，共 {1} 個</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Assembling the timeline</source>
        <translation>正在組合時間軸</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rendering scene {0} of {1}</source>
        <translation>正在渲染：第 {0} 個場景，共 {1} 個</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Waiting for a free video encoder</source>
        <translation>正在等待空閒的影片編碼器</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mixing the soundtrack</source>
        <translation>正在混音</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Joining</source>
        <translation>正在合併</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Joining the segments</source>
        <translation>正在合併片段</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Joining the segments and making the thumbnail</source>
        <translation>正在合併片段並製作縮圖</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>A passing problem; Reelwright tries again by itself:</source>
        <translation>暫時性的問題，Reelwright 會自動再試：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This needs a change from you before it can work:</source>
        <translation>需要您修改後才能繼續：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The content or a setting cannot be used:</source>
        <translation>無法使用這份內容或某項設定：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The video could not be rendered:</source>
        <translation>無法渲染影片：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trying again after a problem:</source>
        <translation>發生問題，正在重試：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong:</source>
        <translation>發生錯誤：</translation>
    </message>
</context>
<context>
    <name>ProjectList</name>
    <message>
        <location filename="../../desktop/ui/project_list.py" line="+105"/>
        <source>Search projects</source>
        <translation>搜尋專案</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recent</source>
        <translation>最近</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sort the projects</source>
        <translation>排序專案</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Undo</source>
        <translation>復原</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>製作中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>New from Files…</source>
        <translation>從檔案新增…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename</source>
        <translation>重新命名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate</source>
        <translation>建立副本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move to Trash</source>
        <translation>移到垃圾桶</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Undo Delete</source>
        <translation>復原刪除</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>{0}. Last changed {1}.</source>
        <translation>{0}。上次修改：{1}。</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>{0} (copy)</source>
        <translation>{0}（副本）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>“{0}” was moved to the trash.</source>
        <translation>「{0}」已移到垃圾桶。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>“{0}” is back.</source>
        <translation>「{0}」已還原。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Undo Delete of “{0}”</source>
        <translation>復原刪除「{0}」</translation>
    </message>
</context>
<context>
    <name>SceneTableModel</name>
    <message>
        <location filename="../../desktop/ui/scene_model.py" line="+81"/>
        <source>Narration</source>
        <translation>旁白</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image prompt</source>
        <translation>圖片提示詞</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On-screen text</source>
        <translation>畫面文字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length</source>
        <translation>長度</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>How long the scene is heard: measured once it is voiced, estimated (≈) from the words until then.</source>
        <translation>場景旁白的長度：配音後為實際長度，配音前依字數估算（≈）。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>≈ {0} s</source>
        <translation>≈ {0} 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This scene uses your picture {0}.</source>
        <translation>這個場景使用您的圖片 {0}。</translation>
    </message>
</context>
<context>
    <name>ScriptEditor</name>
    <message>
        <location filename="../../desktop/ui/script_editor.py" line="+62"/>
        <source>Undo</source>
        <translation>復原</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add Scene</source>
        <translation>新增場景</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete Scene</source>
        <translation>刪除場景</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Split at Cursor</source>
        <translation>在游標處分割</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge with Next</source>
        <translation>與下一個合併</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Regenerate Image</source>
        <translation>重新產生圖片</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Regenerate Voice</source>
        <translation>重新產生語音</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Scenes</source>
        <translation>場景</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Edit Scene {0}</source>
        <translation>編輯場景 {0}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Move Scene {0}</source>
        <translation>移動場景 {0}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This scene has one sentence. Put the cursor in its narration where it should be split, then split again.</source>
        <translation>這個場景只有一個句子。請把游標放在旁白中要分割的位置，再分割一次。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Split Scene {0}</source>
        <translation>分割場景 {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Put the cursor inside the narration, between two words, to split there.</source>
        <translation>請把游標放在旁白中兩個字詞之間，就能從那裡分割。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The last scene has no next scene to merge with.</source>
        <translation>最後一個場景後面沒有可以合併的場景。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Merge Scenes {0} and {1}</source>
        <translation>合併場景 {0} 和 {1}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete Scene {0}</source>
        <translation>刪除場景 {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add Scene {0}</source>
        <translation>新增場景 {0}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Drop one picture on a scene at a time.</source>
        <translation>一次只能拖放一張圖片到場景上。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The picture {0} could not be read. Use a JPEG, PNG or WebP file.</source>
        <translation>無法讀取圖片 {0}。請使用 JPEG、PNG 或 WebP 檔。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Use Picture for Scene {0}</source>
        <translation>為場景 {0} 使用圖片</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Making the image of scene {0} again.</source>
        <translation>正在重新產生場景 {0} 的圖片。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The image of scene {0} is made with the others: press Generate.</source>
        <translation>場景 {0} 的圖片會和其他圖片一起製作：請按「產生影片」。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Voicing the changed scenes again. Unchanged scenes are kept.</source>
        <translation>正在為修改過的場景重新配音，未修改的場景維持不變。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose a project, or drop a document on the window.</source>
        <translation>請選擇一個專案，或把文件拖放到視窗上。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No script yet. The scenes appear here once it is written.</source>
        <translation>還沒有腳本。腳本寫好後，場景會顯示在這裡。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved</source>
        <translation>已儲存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An edit could not be saved ({0}). The script was read again.</source>
        <translation>有一項編輯無法儲存（{0}），已重新讀取腳本。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="+26"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>API Keys</source>
        <translation>API 金鑰</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New Projects</source>
        <translation>新專案</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+97"/>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>Advanced</source>
        <translation>進階</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Gemini (writes scripts)</source>
        <translation>Gemini（撰寫腳本）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Google Cloud Text-to-Speech (voices)</source>
        <translation>Google Cloud Text-to-Speech（語音）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stability AI (images)</source>
        <translation>Stability AI（圖片）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Keys are never written to Reelwright&apos;s database, its logs or its task messages, and this window never shows them again.</source>
        <translation>金鑰絕不會寫入 Reelwright 的資料庫、記錄或工作訊息，這個視窗也不會再顯示金鑰。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your own words, split into scenes (offline)</source>
        <translation>使用您自己的文字，分成場景（離線）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gemini writes the script</source>
        <translation>由 Gemini 撰寫腳本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline voice</source>
        <translation>離線語音</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Google Cloud Text-to-Speech</source>
        <translation>Google Cloud Text-to-Speech</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Title cards (offline)</source>
        <translation>標題卡（離線）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stability AI pictures</source>
        <translation>Stability AI 圖片</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Preview</source>
        <translation>試聽</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Landscape (16:9)</source>
        <translation>橫式（16:9）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shorts (9:16)</source>
        <translation>Shorts 直式（9:16）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Private</source>
        <translation>私人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlisted</source>
        <translation>不公開</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public</source>
        <translation>公開</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Script</source>
        <translation>腳本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voice</source>
        <translation>語音</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voice to use</source>
        <translation>使用的聲音</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pictures</source>
        <translation>圖片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video format</source>
        <translation>影片格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>YouTube privacy</source>
        <translation>YouTube 隱私設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Script template</source>
        <translation>腳本範本</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The system&apos;s language</source>
        <translation>系統語言</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The new language is used the next time Reelwright starts.</source>
        <translation>新的語言會在下次啟動 Reelwright 時生效。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Leave empty to use this computer&apos;s own</source>
        <translation>留空則使用這台電腦自己的設定</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose…</source>
        <translation>選擇…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>For the shared setup, where several computers work on the same projects: the same Redis, database and storage folder on each. Changes take effect the next time Reelwright starts.</source>
        <translation>用於共用環境，讓多台電腦處理同一批專案：每台電腦都設定相同的 Redis、資料庫和儲存資料夾。變更會在下次啟動 Reelwright 時生效。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Broker (Redis URL)</source>
        <translation>訊息代理（Redis 網址）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database URL</source>
        <translation>資料庫網址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storage folder</source>
        <translation>儲存資料夾</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fastest this computer allows</source>
        <translation>這台電腦所能的最快速度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Least memory (one scene at a time, slower)</source>
        <translation>最少記憶體（一次一個場景，較慢）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Video encoding</source>
        <translation>影片編碼</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The fastest encoding works on several scenes at once, about 280 MB of memory each at 1080p, as many as the computer&apos;s cores and free memory allow. Takes effect the next time Reelwright starts.</source>
        <translation>最快的編碼會同時處理多個場景，1080p 每個約需 280 MB 記憶體，數量依電腦的核心數與可用記憶體而定。下次啟動 Reelwright 時生效。</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Restart Reelwright to use the new settings.</source>
        <translation>請重新啟動 Reelwright 以套用新的設定。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The broker address must start with redis://, rediss:// or unix://.</source>
        <translation>訊息代理的位址必須以 redis://、rediss:// 或 unix:// 開頭。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The database address must start with postgresql:// (or sqlite:///).</source>
        <translation>資料庫位址必須以 postgresql://（或 sqlite:///）開頭。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose the shared storage folder</source>
        <translation>選擇共用的儲存資料夾</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Offline voice (Piper or eSpeak NG)</source>
        <translation>離線語音（Piper 或 eSpeak NG）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The default voice for the video&apos;s language</source>
        <translation>影片語言的預設聲音</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loading the voices…</source>
        <translation>正在載入聲音…</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Making a sample…</source>
        <translation>正在製作試聽範例…</translation>
    </message>
</context>
<context>
    <name>StagePanel</name>
    <message>
        <location filename="../../desktop/ui/stage_panel.py" line="+282"/>
        <source>Choose a project to see how its video is coming along.</source>
        <translation>選擇一個專案，查看影片的製作進度。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reconnecting to the workers. The progress shown is the last saved state.</source>
        <translation>正在重新連線到工作程序。目前顯示的是最後儲存的進度。</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>The command did not reach the workers: {0}</source>
        <translation>指令未能送達工作程序：{0}</translation>
    </message>
</context>
<context>
    <name>StageRow</name>
    <message>
        <location line="-320"/>
        <source>Time taken so far</source>
        <translation>目前已花費的時間</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+128"/>
        <source>Retry</source>
        <translation>重試</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Script</source>
        <translation>腳本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voice</source>
        <translation>旁白</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation>圖片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presenter</source>
        <translation>主持人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Render</source>
        <translation>渲染</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Upload</source>
        <translation>上傳</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>執行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Retrying (attempt {0})</source>
        <translation>重試中（第 {0} 次）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>About {0} left</source>
        <translation>約剩 {0}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Scene {0}: {1}</source>
        <translation>場景 {0}：{1}</translation>
    </message>
</context>
</TS>
